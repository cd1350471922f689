/* SPDX-License-Identifier: MIT */
/*
 * Fixed twin of r3_freeunit_process_get.c (own code): freeunitorg/freeunit
 * commit 49b084c46c6b833ca8047b95f63ee5069574f18a (PR #183).
 * nxt_runtime_process_get() takes its reference before it unlocks, and
 * nxt_process_use() drops the count under processes_mutex, unlinking the
 * process from the hash (nxt_runtime_process_unlink_locked) before the
 * unlock when the count reaches zero.
 */
#include <stdlib.h>
#include <pthread.h>
#include <kref.h>

typedef int nxt_pid_t;
typedef struct nxt_process_s nxt_process_t;
typedef struct { void *slot; } nxt_lvlhsh_t;
typedef struct { nxt_pid_t pid; int replace; void *value; } nxt_lvlhsh_query_t;
typedef struct { pthread_mutex_t processes_mutex; nxt_lvlhsh_t processes; int nprocesses; } nxt_runtime_t;
typedef struct { nxt_runtime_t *runtime; } nxt_thread_t;
typedef struct { nxt_thread_t *thread; } nxt_task_t;

struct nxt_process_s {
	struct kref use_count;
	nxt_pid_t pid;
	int registered;
	nxt_runtime_t *rt;
	struct { pthread_mutex_t mutex; } incoming;
};

int nxt_lvlhsh_find(nxt_lvlhsh_t *lh, nxt_lvlhsh_query_t *lhq);
int nxt_lvlhsh_insert(nxt_lvlhsh_t *lh, nxt_lvlhsh_query_t *lhq);
nxt_process_t *nxt_process_new(nxt_runtime_t *rt);	/* count 1 */
void nxt_runtime_process_unlink_locked(nxt_runtime_t *rt, nxt_process_t *process);	/* processes_mutex held */

/* Called with processes_mutex held: unlink, unlock, tear down. */
static void nxt_runtime_process_release(struct kref *kref)
{
	nxt_process_t *process = container_of(kref, nxt_process_t, use_count);

	if (process->registered == 1)
		nxt_runtime_process_unlink_locked(process->rt, process);
	pthread_mutex_unlock(&process->rt->processes_mutex);
	pthread_mutex_destroy(&process->incoming.mutex);
	free(process);
}

void nxt_process_use(nxt_task_t *task, nxt_process_t *process, int i)
{
	if (i > 0)
		kref_get(&process->use_count);
	else
		kref_put_mutex(&process->use_count, nxt_runtime_process_release, &task->thread->runtime->processes_mutex);
}

nxt_process_t *nxt_runtime_process_get(nxt_runtime_t *rt, nxt_pid_t pid)
{
	nxt_process_t *process;
	nxt_lvlhsh_query_t lhq = { .pid = pid };

	pthread_mutex_lock(&rt->processes_mutex);

	if (nxt_lvlhsh_find(&rt->processes, &lhq) == 0) {
		process = lhq.value;
		kref_get(&process->use_count);
		pthread_mutex_unlock(&rt->processes_mutex);
		return process;
	}

	process = nxt_process_new(rt);
	if (process == NULL) {
		pthread_mutex_unlock(&rt->processes_mutex);
		return NULL;
	}
	process->pid = pid;
	lhq.replace = 0;
	lhq.value = process;
	if (nxt_lvlhsh_insert(&rt->processes, &lhq) == 0) {
		rt->nprocesses++;
		process->registered = 1;
	}
	pthread_mutex_unlock(&rt->processes_mutex);
	return process;
}
