/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: freeunitorg/freeunit commit
 * 49b084c46c6b833ca8047b95f63ee5069574f18a "fix(process): serialize the
 * process refcount on processes_mutex" (PR #183), src/nxt_runtime.c,
 * nxt_runtime_process_get(), and src/nxt_process.c, nxt_process_use().
 * The lookup finds the process in rt->processes under processes_mutex but
 * takes its reference only after the unlock, and the drop to zero in
 * nxt_process_use() runs without that mutex (the release takes it only to
 * remove the process from the hash): a lookup can revive a process whose
 * teardown has begun.
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
void nxt_runtime_process_remove(nxt_runtime_t *rt, nxt_process_t *process);	/* takes processes_mutex */

static void nxt_runtime_process_release(struct kref *kref)
{
	nxt_process_t *process = container_of(kref, nxt_process_t, use_count);

	if (process->registered == 1)
		nxt_runtime_process_remove(process->rt, process);
	pthread_mutex_destroy(&process->incoming.mutex);
	free(process);
}

void nxt_process_use(nxt_task_t *task, nxt_process_t *process, int i)
{
	(void)task;
	if (i > 0)
		kref_get(&process->use_count);
	else
		kref_put(&process->use_count, nxt_runtime_process_release);	/* expect: rule 3 (the other half) */
}

nxt_process_t *nxt_runtime_process_get(nxt_runtime_t *rt, nxt_pid_t pid)
{
	nxt_process_t *process;
	nxt_lvlhsh_query_t lhq = { .pid = pid };

	pthread_mutex_lock(&rt->processes_mutex);

	if (nxt_lvlhsh_find(&rt->processes, &lhq) == 0) {
		pthread_mutex_unlock(&rt->processes_mutex);
		process = lhq.value;
		kref_get(&process->use_count);	/* expect: rule 3 */
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
