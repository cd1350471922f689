/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: freeunitorg/freeunit commit
 * 4d81e916fb81bb17b1e754140ccb10e02004b446 "fix(process): take a reference
 * on cross-thread process lookups" (PR #184), src/nxt_runtime.c,
 * nxt_runtime_process_find(), and src/nxt_port_memory.c,
 * nxt_port_get_port_incoming_mmap().  The process is found in
 * rt->processes under rt->processes_mutex but returned without a
 * reference; a router worker then locks process->incoming.mutex after the
 * lookup's unlock while the main engine can drop the last reference (which
 * unlinks under processes_mutex) and free the process.
 */
#include <stdlib.h>
#include <pthread.h>
#include <kref.h>

typedef int nxt_pid_t;
typedef struct nxt_process_s nxt_process_t;
typedef struct { void *slot; } nxt_lvlhsh_t;
typedef struct { nxt_pid_t pid; void *value; } nxt_lvlhsh_query_t;
typedef struct { pthread_mutex_t processes_mutex; nxt_lvlhsh_t processes; } nxt_runtime_t;
typedef struct { nxt_runtime_t *runtime; } nxt_thread_t;
typedef struct { nxt_thread_t *thread; } nxt_task_t;
typedef struct { void *hdr; } nxt_port_mmap_handler_t;

struct nxt_process_s {
	struct kref use_count;
	nxt_pid_t pid;
	nxt_runtime_t *rt;
	struct { pthread_mutex_t mutex; unsigned int size; nxt_port_mmap_handler_t **elts; } incoming;
};

int nxt_lvlhsh_find(nxt_lvlhsh_t *lh, nxt_lvlhsh_query_t *lhq);
void nxt_runtime_process_unlink_locked(nxt_runtime_t *rt, nxt_process_t *process);
void nxt_port_mmap_handler_use(nxt_port_mmap_handler_t *mmap_handler, int i);

/* Called with processes_mutex held: unlink, unlock, tear down. */
static void nxt_process_release(struct kref *kref)
{
	nxt_process_t *process = container_of(kref, nxt_process_t, use_count);

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
		kref_put_mutex(&process->use_count, nxt_process_release, &task->thread->runtime->processes_mutex);
}

nxt_process_t *nxt_runtime_process_find(nxt_runtime_t *rt, nxt_pid_t pid)
{
	nxt_process_t *process = NULL;
	nxt_lvlhsh_query_t lhq = { .pid = pid };

	pthread_mutex_lock(&rt->processes_mutex);
	if (nxt_lvlhsh_find(&rt->processes, &lhq) == 0)
		process = lhq.value;	/* expect: rule 3 */
	pthread_mutex_unlock(&rt->processes_mutex);
	return process;
}

nxt_port_mmap_handler_t *nxt_port_get_port_incoming_mmap(nxt_task_t *task, nxt_pid_t spid, unsigned int id)
{
	nxt_process_t *process;
	nxt_port_mmap_handler_t *mmap_handler = NULL;

	process = nxt_runtime_process_find(task->thread->runtime, spid);
	if (process == NULL)
		return NULL;

	pthread_mutex_lock(&process->incoming.mutex);	/* expect: rule 3 */
	if (process->incoming.size > id) {
		mmap_handler = process->incoming.elts[id];
		if (mmap_handler != NULL)
			nxt_port_mmap_handler_use(mmap_handler, 1);
	}
	pthread_mutex_unlock(&process->incoming.mutex);
	return mmap_handler;
}
