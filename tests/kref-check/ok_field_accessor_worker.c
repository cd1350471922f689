/* SPDX-License-Identifier: MIT */
/* Correct, plain C with pthreads: the worker keeps the scheduler with a
 * reference the pool's dup call gives it, and puts it in its release. */
#include <pthread.h>
#include <stdlib.h>
#include <kref.h>

struct sched { struct kref ref; int policy; };
struct pool;

struct worker {
	struct kref ref;
	pthread_t tid;
	struct sched *sched;
	struct pool *pool;
};

/* The pool's current scheduler, with a new reference for the caller. */
struct sched *pool_dup_scheduler(struct pool *pool);

static void sched_free(struct kref *ref)
{
	free(container_of(ref, struct sched, ref));
}

void sched_put(struct sched *s)
{
	kref_put(&s->ref, sched_free);
}

static void worker_free(struct kref *ref)
{
	struct worker *w = container_of(ref, struct worker, ref);

	if (w->sched)
		sched_put(w->sched);
	free(w);
}

void worker_put(struct worker *w)
{
	kref_put(&w->ref, worker_free);
}

void worker_attach(struct worker *w, struct pool *pool)
{
	w->pool = pool;
	w->sched = pool_dup_scheduler(pool);
}
