/* SPDX-License-Identifier: MIT */
/*
 * Project: daos-stack/cart
 * Path:    src/cart/crt_iv.c
 * Fix:     2f1188cdeb98ef8d5cd9f482461e74f1a6fd4cfe
 * Bug:     crt_hdlr_iv_sync() looks up the IV namespace, which takes a
 *          reference, and on its normal path returns without dropping it,
 *          leaking one namespace reference per sync RPC.
 */
#include <kref.h>
#include <assert.h>
#include <stdint.h>

#define DER_NONEXIST			1005
#define CRT_IV_SYNC_FLAG_NS_ERRORS_FATAL	0x2

typedef struct crt_rpc crt_rpc_t;
typedef void *crt_iv_key_t;
typedef void (*crt_generic_cb_t)(void *arg);

struct crt_ivns_id {
	uint32_t ii_rank;
	uint32_t ii_nsid;
};

typedef struct {
	uint32_t ivs_event;
	uint32_t ivs_flags;
} crt_iv_sync_t;

/* An IV namespace: cii_ref_count is the kref. */
struct crt_ivns_internal {
	struct kref cii_ref;
	struct crt_ivns_id cii_id;
};

struct crt_iv_ops {
	void (*ivo_pre_refresh)(struct crt_ivns_internal *ivns,
				crt_iv_key_t *key, crt_generic_cb_t cb,
				void *cb_arg);
};

struct crt_iv_sync_in {
	struct crt_ivns_id *ivs_nsid;
	crt_iv_sync_t *ivs_sync_type;
	crt_iv_key_t ivs_key;
	uint32_t ivs_class_id;
};

struct crt_iv_sync_out {
	int rc;
};

/* Returns the RPC's input (borrowed). */
extern struct crt_iv_sync_in *crt_req_get(crt_rpc_t *rpc);
/* Returns the RPC's output (borrowed). */
extern struct crt_iv_sync_out *crt_reply_get(crt_rpc_t *rpc);
/* Sends the RPC's reply. */
extern int crt_reply_send(crt_rpc_t *rpc);
/* Takes a reference on the RPC (RPC_PUB_ADDREF). */
extern void RPC_PUB_ADDREF(crt_rpc_t *rpc);
/* Finds the namespace in ns_list under ns_list_lock; returns it with a
 * new reference, or NULL. */
extern struct crt_ivns_internal *
crt_ivns_internal_lookup(struct crt_ivns_id *ivns_id);
/* Returns the class's ops table (borrowed). */
extern struct crt_iv_ops *crt_iv_ops_get(struct crt_ivns_internal *ivns,
					 uint32_t class_id);
/* Applies the sync; does its own namespace lookup and put, and drops the
 * RPC reference taken by crt_hdlr_iv_sync(). */
extern void crt_hdlr_iv_sync_aux(void *arg);
/* Unlinks the namespace, frees it and runs its destroy callback. */
extern void ivns_destroy(struct crt_ivns_internal *ivns);

static void ivns_release(struct kref *kref)
{
	ivns_destroy(container_of(kref, struct crt_ivns_internal, cii_ref));
}

/* IVNS_DECREF: a put that ignores NULL. */
static void IVNS_DECREF(struct crt_ivns_internal *ivns)
{
	if (ivns == NULL)
		return;
	kref_put(&ivns->cii_ref, ivns_release);
}

void crt_hdlr_iv_sync(crt_rpc_t *rpc_req)
{
	struct crt_iv_sync_in *input;
	struct crt_iv_sync_out *output;
	struct crt_ivns_internal *ivns_internal;
	struct crt_iv_ops *iv_ops;
	struct crt_ivns_id *ivns_id;
	crt_iv_sync_t *sync_type;
	int rc = 0;

	input = crt_req_get(rpc_req);
	assert(input != NULL);
	output = crt_reply_get(rpc_req);
	assert(output != NULL);

	ivns_id = input->ivs_nsid;
	sync_type = input->ivs_sync_type;

	ivns_internal = crt_ivns_internal_lookup(ivns_id);
	if (ivns_internal == NULL) {
		/* The namespace may not be attached here yet. */
		assert(!(sync_type->ivs_flags &
			 CRT_IV_SYNC_FLAG_NS_ERRORS_FATAL));
		rc = -DER_NONEXIST;
		goto exit;
	}

	iv_ops = crt_iv_ops_get(ivns_internal, input->ivs_class_id);
	assert(iv_ops != NULL);

	/* Keep rpc_req alive; crt_hdlr_iv_sync_aux() drops this. */
	RPC_PUB_ADDREF(rpc_req);
	if (iv_ops->ivo_pre_refresh != NULL)
		iv_ops->ivo_pre_refresh(ivns_internal, &input->ivs_key,
					crt_hdlr_iv_sync_aux, rpc_req);
	else
		crt_hdlr_iv_sync_aux(rpc_req);

	IVNS_DECREF(ivns_internal);
	return;

exit:
	output->rc = rc;
	crt_reply_send(rpc_req);
}
