/* SPDX-License-Identifier: MIT */
/* Correct: the queue's reference is taken while the queue lock is still
 * held, so no consumer can pop the request before the get; consumers pop
 * under the same lock. */
#include <pthread.h>
#include <stdlib.h>
#include <kref.h>

struct request {
	struct kref ref;
	struct request *next;
	int op;
};

struct workq {
	pthread_mutex_t lock;
	pthread_cond_t nonempty;
	struct request *head;
};

static void request_free(struct kref *ref)
{
	free(container_of(ref, struct request, ref));
}

static void request_put(struct request *r)
{
	kref_put(&r->ref, request_free);
}

int submit(struct workq *q, int op)
{
	struct request *r = calloc(1, sizeof(*r));

	if (!r)
		return -1;
	kref_init(&r->ref);
	r->op = op;
	pthread_mutex_lock(&q->lock);
	r->next = q->head;
	q->head = r;
	kref_get(&r->ref);	/* the queue's; nobody can pop it yet */
	pthread_cond_signal(&q->nonempty);
	pthread_mutex_unlock(&q->lock);
	request_put(r);
	return 0;
}

struct request *workq_pop(struct workq *q)
{
	struct request *r;

	pthread_mutex_lock(&q->lock);
	while (!q->head)
		pthread_cond_wait(&q->nonempty, &q->lock);
	r = q->head;
	q->head = r->next;
	pthread_mutex_unlock(&q->lock);
	return r;	/* the queue's reference passes to the caller */
}
