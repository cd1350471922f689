/* SPDX-License-Identifier: MIT */
/*
 * Project: linux-rdma/rdma-core
 * Path: providers/hns/hns_roce_u_verbs.c
 * Fix commit: f877d6e610e438515e1535c9ec7a3a3ef37c58e0
 * Bug: verify_cq_create_attr() takes a reference on the parent domain
 * (pad) for the new CQ, but every error path of create_cq() frees the CQ
 * and returns NULL without dropping that reference.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <kref.h>

#define IBV_CQ_INIT_ATTR_MASK_PD	(1U << 2)

struct ibv_pd {
	int handle;
};

struct ibv_context;

struct hns_roce_pd {
	struct ibv_pd ibv_pd;
	struct kref refcount;	/* owner + every QP/CQ/SRQ using the domain */
	struct hns_roce_pd *protection_domain;
};

struct hns_roce_pad {
	struct hns_roce_pd pd;
	void *td;
};

struct ibv_cq_init_attr_ex {
	uint32_t cqe;
	uint32_t comp_mask;
	uint64_t wc_flags;
	struct ibv_pd *parent_domain;
};

struct hns_roce_context {
	uint32_t max_cqe;
	uint32_t cqe_size;
};

struct hns_roce_buf {
	void *buf;
};

struct hns_roce_spinlock {
	int need_lock;
};

struct hns_roce_cq {
	struct ibv_pd *parent_domain;
	struct hns_roce_spinlock hr_lock;
	struct hns_roce_buf buf;
	uint32_t *db;
	uint32_t cq_depth;
	uint32_t cqe_size;
	uint32_t arm_sn;
	void *cq_ex;	/* stands for the embedded verbs_cq.cq_ex */
};

/* returns the pad behind a parent domain, or NULL for a plain pd (borrowed) */
extern struct hns_roce_pad *to_hr_pad(struct ibv_pd *ibv_pd);
/* returns the provider context of an ibv_context (borrowed) */
extern struct hns_roce_context *to_hr_ctx(struct ibv_context *ctx);
/* frees the pad once its last reference is gone */
extern void hns_roce_free_pad_mem(struct hns_roce_pad *pad);
/* sets up the CQ lock; 0 on success */
extern int hns_roce_cq_spinlock_init(struct hns_roce_cq *cq,
				     struct ibv_cq_init_attr_ex *attr);
extern void hns_roce_spinlock_destroy(struct hns_roce_spinlock *lock);
/* allocates the CQE ring; 0 on success */
extern int hns_roce_alloc_cq_buf(struct hns_roce_cq *cq);
extern void hns_roce_free_buf(struct hns_roce_buf *buf);
/* allocates a doorbell record, or NULL */
extern uint32_t *hns_roce_alloc_db(struct hns_roce_context *ctx, int type);
extern void hns_roce_free_db(struct hns_roce_context *ctx, uint32_t *db,
			     int type);
/* issues the create-CQ command to the kernel; 0 on success */
extern int exec_cq_create_cmd(struct ibv_context *context,
			      struct hns_roce_cq *cq,
			      struct ibv_cq_init_attr_ex *attr);

#define HNS_ROCE_CQ_TYPE_DB	1
#define HNS_ROCE_MIN_CQE_NUM	0x40

static void hns_roce_pad_release(struct kref *kref)
{
	struct hns_roce_pd *pd = container_of(kref, struct hns_roce_pd, refcount);

	hns_roce_free_pad_mem(container_of(pd, struct hns_roce_pad, pd));
}

static int verify_cq_create_attr(struct ibv_cq_init_attr_ex *attr,
				 struct hns_roce_context *context)
{
	struct hns_roce_pad *pad = to_hr_pad(attr->parent_domain);

	if (!attr->cqe || attr->cqe > context->max_cqe)
		return EINVAL;

	if (attr->comp_mask & IBV_CQ_INIT_ATTR_MASK_PD) {
		if (!pad)
			return EINVAL;
		kref_get(&pad->pd.refcount);
	}

	if (attr->cqe < HNS_ROCE_MIN_CQE_NUM)
		attr->cqe = HNS_ROCE_MIN_CQE_NUM;

	return 0;
}

void *create_cq(struct ibv_context *context, struct ibv_cq_init_attr_ex *attr)
{
	struct hns_roce_context *hr_ctx = to_hr_ctx(context);
	struct hns_roce_cq *cq;
	int ret;

	ret = verify_cq_create_attr(attr, hr_ctx);
	if (ret)
		goto err;

	cq = calloc(1, sizeof(*cq));
	if (!cq) {
		ret = ENOMEM;
		goto err;
	}

	if (attr->comp_mask & IBV_CQ_INIT_ATTR_MASK_PD)
		cq->parent_domain = attr->parent_domain;

	ret = hns_roce_cq_spinlock_init(cq, attr);
	if (ret)
		goto err_lock;

	cq->cq_depth = attr->cqe;
	cq->cqe_size = hr_ctx->cqe_size;

	ret = hns_roce_alloc_cq_buf(cq);
	if (ret)
		goto err_buf;

	cq->db = hns_roce_alloc_db(hr_ctx, HNS_ROCE_CQ_TYPE_DB);
	if (!cq->db) {
		ret = ENOMEM;
		goto err_db;
	}

	ret = exec_cq_create_cmd(context, cq, attr);
	if (ret)
		goto err_cmd;

	cq->arm_sn = 1;

	return cq;

err_cmd:
	hns_roce_free_db(hr_ctx, cq->db, HNS_ROCE_CQ_TYPE_DB);
err_db:
	hns_roce_free_buf(&cq->buf);
err_buf:
	hns_roce_spinlock_destroy(&cq->hr_lock);
err_lock:
	free(cq);
err:
	if (ret < 0)
		ret = -ret;

	errno = ret;
	return NULL; /* expect: rule 2 */
}

/* tells the kernel to destroy the CQ; 0 on success */
extern int ibv_cmd_destroy_cq(struct hns_roce_cq *cq);

int hns_roce_u_destroy_cq(struct hns_roce_cq *cq)
{
	struct hns_roce_pad *pad = to_hr_pad(cq->parent_domain);
	int ret;

	ret = ibv_cmd_destroy_cq(cq);
	if (ret)
		return ret;

	if (pad)
		kref_put(&pad->pd.refcount, hns_roce_pad_release);

	hns_roce_spinlock_destroy(&cq->hr_lock);
	free(cq);
	return 0;
}
