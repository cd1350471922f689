/* SPDX-License-Identifier: MIT */
/*
 * Project: tarantool/tarantool
 * Path: src/box/vy_scheduler.c
 * Fix commit: 1c4605bb9f3741a4e96c388605e6e2196cd61979
 *   ("vinyl: fix use-after-free of LSM tree in scheduler", gh-9995;
 *   cherry-picked as 660c355f95eee9895701bc8f79051d96b216e0ad)
 * Bug: vy_scheduler_peek_dump() picks an LSM tree from the dump heap,
 * which holds no reference, and the reference is only taken in
 * vy_task_new() after code that may yield (starting the worker pool,
 * waiting for the in-memory tree to be unpinned); a fiber that drops the
 * LSM tree meanwhile unlinks it and puts the last reference.
 *
 * Written for libkref's held-out set: a reconstruction on struct kref, not
 * Tarantool's code.  Tarantool's fibers run one at a time on the TX
 * thread; here that thread is tx_lock, held by the running fiber and
 * released by fiber_yield().  Only the dump path is shown.
 */
#include <kref.h>
#include <pthread.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

/* The TX thread: the running fiber holds it. */
static pthread_mutex_t tx_lock = PTHREAD_MUTEX_INITIALIZER;

/* Lets the other fibers run. */
void fiber_yield(void)
{
	pthread_mutex_unlock(&tx_lock);
	sched_yield();
	pthread_mutex_lock(&tx_lock);
}

struct vy_lsm {
	struct kref refs;
	struct vy_lsm *in_dump;		/* dump heap link (no reference) */
	bool is_dumping;
	int pin_count;
	int64_t generation;
};

struct vy_worker {
	struct vy_worker *next;
};

struct vy_worker_pool {
	bool started;
	struct vy_worker *idle;
};

struct vy_task {
	struct vy_lsm *lsm;		/* counted */
	struct vy_worker *worker;
};

struct vy_scheduler {
	struct vy_lsm *dump_heap;	/* LSM trees to dump, oldest first */
	struct vy_worker_pool dump_pool;
	int64_t dump_generation;
};

/* Starts the pool's worker threads and waits until they are up. */
extern void vy_worker_pool_start(struct vy_worker_pool *pool);

static void vy_lsm_delete(struct kref *kref)
{
	free(container_of(kref, struct vy_lsm, refs));
}

void vy_lsm_ref(struct vy_lsm *lsm)
{
	kref_get(&lsm->refs);
}

void vy_lsm_unref(struct vy_lsm *lsm)
{
	kref_put(&lsm->refs, vy_lsm_delete);
}

/* DDL fiber (tx_lock held): the scheduler forgets the dropped index and
 * the space puts what is normally the last reference. */
void vy_lsm_drop(struct vy_scheduler *scheduler, struct vy_lsm *lsm)
{
	struct vy_lsm **p;

	for (p = &scheduler->dump_heap; *p != NULL; p = &(*p)->in_dump) {
		if (*p == lsm) {
			*p = lsm->in_dump;
			break;
		}
	}
	vy_lsm_unref(lsm);
}

static struct vy_worker *vy_worker_pool_get(struct vy_worker_pool *pool)
{
	struct vy_worker *worker;

	if (!pool->started) {
		pool->started = true;
		vy_worker_pool_start(pool);
		fiber_yield();
	}
	worker = pool->idle;
	if (worker != NULL)
		pool->idle = worker->next;
	return worker;
}

static void vy_worker_pool_put(struct vy_worker *worker, struct vy_worker_pool *pool)
{
	worker->next = pool->idle;
	pool->idle = worker;
}

static struct vy_task *vy_task_new(struct vy_worker *worker, struct vy_lsm *lsm)
{
	struct vy_task *task = calloc(1, sizeof(*task));

	if (task == NULL)
		return NULL;
	task->worker = worker;
	task->lsm = lsm;
	vy_lsm_ref(lsm);
	return task;
}

static int vy_task_dump_new(struct vy_scheduler *scheduler, struct vy_worker *worker,
			    struct vy_lsm *lsm, struct vy_task **p_task)
{
	struct vy_task *task;

	(void)scheduler;
	/* wait for the in-memory trees being dumped to be unpinned */
	while (lsm->pin_count > 0)
		fiber_yield();

	task = vy_task_new(worker, lsm);
	if (task == NULL)
		return -1;
	lsm->is_dumping = true;
	*p_task = task;
	return 0;
}

/* Scheduler fiber (tx_lock held). */
int vy_scheduler_peek_dump(struct vy_scheduler *scheduler, struct vy_task **ptask)
{
	struct vy_worker *worker = NULL;
	struct vy_lsm *lsm;

retry:
	*ptask = NULL;
	lsm = scheduler->dump_heap;
	if (lsm == NULL)
		goto no_task;
	if (!lsm->is_dumping && lsm->pin_count == 0 &&
	    lsm->generation == scheduler->dump_generation) {
		/*
		 * There is an LSM tree with data that must be dumped at
		 * the current generation: make a dump task for it.
		 * What follows may yield: hold the LSM tree until the
		 * task has its own reference.
		 */
		vy_lsm_ref(lsm);
		if (worker == NULL) {
			worker = vy_worker_pool_get(&scheduler->dump_pool);
			if (worker == NULL) {
				vy_lsm_unref(lsm);
				return 0; /* all workers are busy */
			}
		}
		if (vy_task_dump_new(scheduler, worker, lsm, ptask) != 0) {
			vy_worker_pool_put(worker, &scheduler->dump_pool);
			vy_lsm_unref(lsm);
			return -1;
		}
		vy_lsm_unref(lsm);
		if (*ptask != NULL)
			return 0; /* new task */
		goto retry;
	}
no_task:
	if (worker != NULL)
		vy_worker_pool_put(worker, &scheduler->dump_pool);
	return 0;
}
