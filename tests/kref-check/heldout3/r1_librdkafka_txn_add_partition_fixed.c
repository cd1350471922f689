/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: confluentinc/librdkafka commit
 * 9f0f06890ee1e230b50a94e6c6732d6c472ed3ed "Transactions need to properly
 * refcount rktp objects it holds on to", src/rdkafka_txnmgr.h
 * rd_kafka_txn_add_partition() and src/rdkafka_txnmgr.c
 * rd_kafka_txn_clear_partitions_flag().  The application thread that
 * produces to a partition inside a transaction links the partition on
 * rk->rk_eos.txn_pending_rktps, a list the rdkafka main thread walks
 * later, without a reference for the list: if the topic is deleted from
 * the cluster meanwhile, the partition can be destroyed while it is still
 * linked ("very rare use-after-free", CHANGELOG).  The fix keeps a
 * reference when linking and drops it when the lists are cleared.
 * rd_kafka_toppar_t's rd_refcnt_t written here with struct kref.
 */
#include <pthread.h>
#include <stdint.h>
#include <sys/queue.h>
#include <kref.h>

typedef struct rd_kafka_s rd_kafka_t;
typedef struct rd_kafka_topic_s { rd_kafka_t *rkt_rk; const char *rkt_topic; } rd_kafka_topic_t;
typedef struct rd_kafka_toppar_s {
	struct kref rktp_refcnt;
	pthread_mutex_t rktp_lock;
	TAILQ_ENTRY(rd_kafka_toppar_s) rktp_txnlink;	/* rk_eos.txn_pending_rktps or txn_rktps */
	rd_kafka_topic_t *rktp_rkt;
	int32_t rktp_partition;
	int rktp_flags;
} rd_kafka_toppar_t;
TAILQ_HEAD(rd_kafka_toppar_tqhead_s, rd_kafka_toppar_s);
typedef struct rd_kafka_toppar_tqhead_s rd_kafka_toppar_tqhead_t;

struct rd_kafka_s {
	struct {
		pthread_mutex_t txn_pending_lock;
		rd_kafka_toppar_tqhead_t txn_pending_rktps;
		rd_kafka_toppar_tqhead_t txn_waitresp_rktps;
		rd_kafka_toppar_tqhead_t txn_rktps;
	} rk_eos;
};

#define RD_KAFKA_TOPPAR_F_PEND_TXN	0x100
#define RD_KAFKA_TOPPAR_F_IN_TXN	0x200

/* Unlinks the partition from its topic and frees it. */
void rd_kafka_toppar_destroy_final(rd_kafka_toppar_t *rktp);
/* Schedules rd_kafka_txn_register_partitions() on the rdkafka main thread. */
void rd_kafka_txn_schedule_register_partitions(rd_kafka_t *rk, int immediate);

static void rd_kafka_toppar_release(struct kref *kref)
{
	rd_kafka_toppar_destroy_final(container_of(kref, rd_kafka_toppar_t, rktp_refcnt));
}

static rd_kafka_toppar_t *rd_kafka_toppar_keep(rd_kafka_toppar_t *rktp)
{
	kref_get(&rktp->rktp_refcnt);
	return rktp;
}

void rd_kafka_toppar_destroy(rd_kafka_toppar_t *rktp)
{
	kref_put(&rktp->rktp_refcnt, rd_kafka_toppar_release);
}

/* Called by produce() on the application's thread. */
void rd_kafka_txn_add_partition(rd_kafka_toppar_t *rktp)
{
	rd_kafka_t *rk;
	int schedule;

	pthread_mutex_lock(&rktp->rktp_lock);
	/* Already added or registered */
	if (rktp->rktp_flags & (RD_KAFKA_TOPPAR_F_PEND_TXN | RD_KAFKA_TOPPAR_F_IN_TXN)) {
		pthread_mutex_unlock(&rktp->rktp_lock);
		return;
	}
	rktp->rktp_flags |= RD_KAFKA_TOPPAR_F_PEND_TXN;
	pthread_mutex_unlock(&rktp->rktp_lock);

	rk = rktp->rktp_rkt->rkt_rk;

	pthread_mutex_lock(&rk->rk_eos.txn_pending_lock);
	schedule = TAILQ_EMPTY(&rk->rk_eos.txn_pending_rktps);
	/* (librdkafka keeps the list sorted by topic: TAILQ_INSERT_SORTED) */
	TAILQ_INSERT_TAIL(&rk->rk_eos.txn_pending_rktps, rktp, rktp_txnlink);
	rd_kafka_toppar_keep(rktp);
	pthread_mutex_unlock(&rk->rk_eos.txn_pending_lock);

	if (schedule)
		rd_kafka_txn_schedule_register_partitions(rk, 1);
}

/* Main thread, when the transaction ends: clears the flag from all the
 * partitions and destroys them, emptying and reinitialising the list. */
static void rd_kafka_txn_clear_partitions_flag(rd_kafka_toppar_tqhead_t *tqh, int flag)
{
	rd_kafka_toppar_t *rktp, *tmp;

	for (rktp = TAILQ_FIRST(tqh); rktp; rktp = tmp) {
		tmp = TAILQ_NEXT(rktp, rktp_txnlink);
		pthread_mutex_lock(&rktp->rktp_lock);
		rktp->rktp_flags &= ~flag;
		pthread_mutex_unlock(&rktp->rktp_lock);
		rd_kafka_toppar_destroy(rktp);
	}
	TAILQ_INIT(tqh);
}

void rd_kafka_txn_clear_pending_partitions(rd_kafka_t *rk)
{
	rd_kafka_txn_clear_partitions_flag(&rk->rk_eos.txn_pending_rktps, RD_KAFKA_TOPPAR_F_PEND_TXN);
	rd_kafka_txn_clear_partitions_flag(&rk->rk_eos.txn_waitresp_rktps, RD_KAFKA_TOPPAR_F_PEND_TXN);
}
