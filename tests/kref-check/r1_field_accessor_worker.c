/* SPDX-License-Identifier: MIT */
/* Rule 1, plain C with pthreads: a worker, counted and shared with the
 * pool's threads, keeps the scheduler its pool uses, read with the pool's
 * accessor and no reference.  Reconfiguring the pool puts the old
 * scheduler while the worker still points to it. */
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

/* The pool's current scheduler; the pool keeps its reference. */
struct sched *pool_get_scheduler(struct pool *pool);

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
	free(container_of(ref, struct worker, ref));
}

void worker_put(struct worker *w)
{
	kref_put(&w->ref, worker_free);
}

void worker_attach(struct worker *w, struct pool *pool)
{
	w->pool = pool;
	w->sched = pool_get_scheduler(pool);	/* expect: rule 1 */
}
