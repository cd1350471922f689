/* SPDX-License-Identifier: MIT */
/* Correct: the queue's reference is taken inside the push call's argument;
 * the consumer takes it over when it pops. */
#include <pthread.h>
#include <stdlib.h>
#include <kref.h>

struct task { struct kref ref; struct task *next; int prio; };
struct runq { pthread_mutex_t lock; struct task *head; };
static struct runq rq = { PTHREAD_MUTEX_INITIALIZER, NULL };

static void task_release(struct kref *r) { free(container_of(r, struct task, ref)); }
static struct task *task_hold(struct task *t) { kref_get(&t->ref); return t; }
static void task_drop(struct task *t) { kref_put(&t->ref, task_release); }

static void runq_push(struct runq *q, struct task *t)
{
	pthread_mutex_lock(&q->lock);
	t->next = q->head;
	q->head = t;
	pthread_mutex_unlock(&q->lock);
}

static struct task *runq_pop(struct runq *q)
{
	struct task *t;
	pthread_mutex_lock(&q->lock);
	t = q->head;
	if (t)
		q->head = t->next;
	pthread_mutex_unlock(&q->lock);
	return t;
}

void schedule_task(struct task *t)
{
	runq_push(&rq, task_hold(t));
}

void run_one(void)
{
	struct task *t = runq_pop(&rq);
	if (!t)
		return;
	t->prio = 0;
	task_drop(t);
}
