/* SPDX-License-Identifier: MIT */
/*
 * Project: confluentinc/librdkafka
 * Path: src/rdkafka_topic.c
 * Fix commit: 94124ea693f1acb1c4e3720a8956d225dda57446
 * Bug: the topic's final destructor destroys the topic name before it
 * unlinks the topic from rk->rk_topics, so rd_kafka_topic_find() still
 * finds the dying topic under the rk lock, reads its freed name and takes
 * a reference on it.
 */
#include <kref.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/queue.h>

typedef struct rd_kafkap_str_s rd_kafkap_str_t;
typedef struct rd_kafka_itopic_s rd_kafka_itopic_t;

typedef struct rd_kafka_s {
	pthread_rwlock_t rk_lock;		/* protects rk_topics */
	TAILQ_HEAD(, rd_kafka_itopic_s) rk_topics;
	int rk_topic_cnt;
} rd_kafka_t;

struct rd_kafka_itopic_s {
	TAILQ_ENTRY(rd_kafka_itopic_s) rkt_link;
	struct kref rkt_refcnt;
	rd_kafkap_str_t *rkt_topic;
	rd_kafka_t *rkt_rk;
	pthread_rwlock_t rkt_lock;
};

/* compares a protocol string with a C string: 0 if equal */
extern int rd_kafkap_str_cmp_str(const rd_kafkap_str_t *a, const char *str);
/* frees a protocol string */
extern void rd_kafkap_str_destroy(rd_kafkap_str_t *kstr);
/* frees the topic's configuration */
extern void rd_kafka_topic_conf_destroy(rd_kafka_itopic_t *rkt);

static void rd_kafka_rdlock(rd_kafka_t *rk)   { pthread_rwlock_rdlock(&rk->rk_lock); }
static void rd_kafka_wrlock(rd_kafka_t *rk)   { pthread_rwlock_wrlock(&rk->rk_lock); }
static void rd_kafka_rdunlock(rd_kafka_t *rk) { pthread_rwlock_unlock(&rk->rk_lock); }
static void rd_kafka_wrunlock(rd_kafka_t *rk) { pthread_rwlock_unlock(&rk->rk_lock); }

rd_kafka_itopic_t *rd_kafka_topic_keep(rd_kafka_itopic_t *rkt)
{
	kref_get(&rkt->rkt_refcnt);
	return rkt;
}

/* Final destructor for topic: refcnt is 0. */
static void rd_kafka_topic_destroy_final(struct kref *ref)
{
	rd_kafka_itopic_t *rkt = container_of(ref, rd_kafka_itopic_t, rkt_refcnt);

	if (rkt->rkt_topic)
		rd_kafkap_str_destroy(rkt->rkt_topic); /* expect: rule 3 */

	rd_kafka_wrlock(rkt->rkt_rk);
	TAILQ_REMOVE(&rkt->rkt_rk->rk_topics, rkt, rkt_link);
	rkt->rkt_rk->rk_topic_cnt--;
	rd_kafka_wrunlock(rkt->rkt_rk);

	rd_kafka_topic_conf_destroy(rkt);
	pthread_rwlock_destroy(&rkt->rkt_lock);
	free(rkt);
}

void rd_kafka_topic_destroy0(rd_kafka_itopic_t *rkt)
{
	kref_put(&rkt->rkt_refcnt, rd_kafka_topic_destroy_final);
}

/* Returns the topic named topic with a reference, or NULL. */
rd_kafka_itopic_t *rd_kafka_topic_find(rd_kafka_t *rk, const char *topic)
{
	rd_kafka_itopic_t *rkt;
	rd_kafka_itopic_t *found = NULL;

	rd_kafka_rdlock(rk);
	TAILQ_FOREACH(rkt, &rk->rk_topics, rkt_link) {
		if (!rd_kafkap_str_cmp_str(rkt->rkt_topic, topic)) {
			found = rd_kafka_topic_keep(rkt);
			break;
		}
	}
	rd_kafka_rdunlock(rk);

	return found;
}
