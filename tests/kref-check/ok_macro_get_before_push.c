/* SPDX-License-Identifier: MIT */
/* Correct: the macro takes the queue's reference before the push. */
#include <pthread.h>
#include <stdlib.h>
#include <kref.h>

struct request {
	struct kref ref;
	struct request *next;
	int op;
};

#define REQ_GET(r)	kref_get(&(r)->ref)
#define REQ_PUT(r)	kref_put(&(r)->ref, request_free)

struct workq {
	pthread_mutex_t lock;
	pthread_cond_t nonempty;
	struct request *head, *tail;
};

static void request_free(struct kref *ref)
{
	free(container_of(ref, struct request, ref));
}

static void workq_push(struct workq *q, struct request *r)
{
	pthread_mutex_lock(&q->lock);
	r->next = NULL;
	if (q->tail)
		q->tail->next = r;
	else
		q->head = r;
	q->tail = r;
	pthread_cond_signal(&q->nonempty);
	pthread_mutex_unlock(&q->lock);
}

int submit(struct workq *q, int op)
{
	struct request *r = calloc(1, sizeof(*r));

	if (!r)
		return -1;
	kref_init(&r->ref);
	r->op = op;
	REQ_GET(r);
	workq_push(q, r);
	REQ_PUT(r);
	return 0;
}
