/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: confluentinc/librdkafka commit
 * 357bc5324dd68cbce0a74035113eff6d38b7e207 "Fix refcnt leak in
 * rd_kafka_seek()", src/rdkafka.c rd_kafka_seek(), with
 * rd_kafka_toppar_get() from src/rdkafka_topic.c.  rd_kafka_seek() looks
 * the partition up with rd_kafka_toppar_get() (or the desired-partition
 * lookup), both of which return a new reference, takes one more for the
 * FETCH_START op it enqueues, and never drops the lookup's reference: one
 * partition reference leaks per seek.  The fix adds
 * rd_kafka_toppar_destroy(rktp) after the op is enqueued.
 * rd_kafka_toppar_t's rd_refcnt_t written here with struct kref.
 */
#include <pthread.h>
#include <stdint.h>
#include <kref.h>

typedef enum { RD_KAFKA_RESP_ERR_NO_ERROR = 0, RD_KAFKA_RESP_ERR__TIMED_OUT = -185,
	       RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION = -190, RD_KAFKA_RESP_ERR__INVALID_ARG = -186 } rd_kafka_resp_err_t;
#define RD_KAFKA_PARTITION_UA	((int32_t)-1)
#define RD_KAFKA_OP_FETCH_START	4

typedef struct rd_kafka_q_s rd_kafka_q_t;
typedef struct rd_kafka_toppar_s {
	struct kref rktp_refcnt;
	pthread_mutex_t rktp_lock;
	int32_t rktp_version;
	rd_kafka_q_t *rktp_ops, *rktp_fetchq;
} rd_kafka_toppar_t;
typedef struct rd_kafka_topic_s {
	pthread_rwlock_t rkt_lock;
	int32_t rkt_partition_cnt;
	rd_kafka_toppar_t **rkt_p, *rkt_ua;
} rd_kafka_topic_t;
typedef struct rd_kafka_op_s {
	int64_t rko_offset;
	int32_t rko_version;
	rd_kafka_toppar_t *rko_rktp;	/* the op's own reference */
	rd_kafka_q_t *rko_replyq;
	rd_kafka_resp_err_t rko_err;
} rd_kafka_op_t;

void rd_kafka_toppar_destroy_final(rd_kafka_toppar_t *rktp);
/* Both return a new reference (rd_kafka_toppar_keep()) on the partition, or
 * NULL; the topic lock must be held. */
rd_kafka_toppar_t *rd_kafka_toppar_get(const rd_kafka_topic_t *rkt, int32_t partition, int ua_on_miss);
rd_kafka_toppar_t *rd_kafka_toppar_desired_get(rd_kafka_topic_t *rkt, int32_t partition);
rd_kafka_op_t *rd_kafka_op_new(int type);
/* Destroying the op drops its rko_rktp reference. */
void rd_kafka_op_destroy(rd_kafka_op_t *rko);
void rd_kafka_q_enq(rd_kafka_q_t *rkq, rd_kafka_op_t *rko);
rd_kafka_op_t *rd_kafka_q_pop(rd_kafka_q_t *rkq, int timeout_ms);
rd_kafka_q_t *rd_kafka_q_new(void);
void rd_kafka_q_destroy(rd_kafka_q_t *rkq);
/* Removes the partition's ops older than version from the queue. */
void rd_kafka_q_purge_toppar_version(rd_kafka_q_t *rkq, rd_kafka_toppar_t *rktp, int32_t version);

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

rd_kafka_resp_err_t rd_kafka_seek(rd_kafka_topic_t *rkt, int32_t partition, int64_t offset, int timeout_ms)
{
	rd_kafka_toppar_t *rktp;
	rd_kafka_op_t *rko;
	rd_kafka_q_t *tmpq = NULL;
	rd_kafka_resp_err_t err;

	if (partition == RD_KAFKA_PARTITION_UA)
		return RD_KAFKA_RESP_ERR__INVALID_ARG;

	pthread_rwlock_wrlock(&rkt->rkt_lock);
	if (!(rktp = rd_kafka_toppar_get(rkt, partition, 0)) &&
	    !(rktp = rd_kafka_toppar_desired_get(rkt, partition))) {
		pthread_rwlock_unlock(&rkt->rkt_lock);
		return RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION;
	}
	pthread_rwlock_unlock(&rkt->rkt_lock);

	pthread_mutex_lock(&rktp->rktp_lock);
	rko = rd_kafka_op_new(RD_KAFKA_OP_FETCH_START);
	rko->rko_offset = offset;
	rko->rko_version = ++rktp->rktp_version;
	rd_kafka_q_purge_toppar_version(rktp->rktp_fetchq, rktp, rko->rko_version);
	rko->rko_rktp = rd_kafka_toppar_keep(rktp);
	if (timeout_ms != 0) {
		tmpq = rd_kafka_q_new();
		rko->rko_replyq = tmpq;
	}
	rd_kafka_q_enq(rktp->rktp_ops, rko);
	pthread_mutex_unlock(&rktp->rktp_lock);
	rd_kafka_toppar_destroy(rktp);

	if (timeout_ms == 0)
		return RD_KAFKA_RESP_ERR_NO_ERROR;
	rko = rd_kafka_q_pop(tmpq, timeout_ms);
	rd_kafka_q_destroy(tmpq);
	if (!rko)
		return RD_KAFKA_RESP_ERR__TIMED_OUT;
	err = rko->rko_err;
	rd_kafka_op_destroy(rko);
	return err;
}
