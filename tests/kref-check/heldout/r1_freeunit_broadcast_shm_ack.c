/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: freeunitorg/freeunit commit
 * 4d81e916fb81bb17b1e754140ccb10e02004b446 "fix(process): take a reference
 * on cross-thread process lookups" (PR #184), src/nxt_port_memory.c,
 * nxt_process_broadcast_shm_ack().  The process is handed as a bare
 * pointer to a handler posted to another engine with nxt_port_post(); the
 * handler walks process->ports there with no reference of its own, while
 * the main engine can free the process.
 */
#include <stdlib.h>
#include <pthread.h>
#include <kref.h>

typedef struct nxt_process_s nxt_process_t;
typedef struct nxt_port_s nxt_port_t;
typedef struct { pthread_mutex_t processes_mutex; } nxt_runtime_t;
typedef struct { nxt_runtime_t *runtime; } nxt_thread_t;
typedef struct { nxt_thread_t *thread; } nxt_task_t;
typedef void (*nxt_port_post_handler_t)(nxt_task_t *task, nxt_port_t *port, void *data);

#define NXT_PROCESS_APP 4
#define NXT_PORT_MSG_SHM_ACK 7

struct nxt_port_s { int type; nxt_port_t *next; };
struct nxt_process_s { struct kref use_count; int pid; nxt_runtime_t *rt; nxt_port_t *ports; };

/* Queues @handler on @port's engine, or calls it inline; 0 (NXT_OK) both ways. */
int nxt_port_post(nxt_task_t *task, nxt_port_t *port, nxt_port_post_handler_t handler, void *data);
int nxt_port_socket_write(nxt_task_t *task, nxt_port_t *port, int type, int fd, unsigned int stream, unsigned int reply_port, void *b);
void nxt_runtime_process_unlink_locked(nxt_runtime_t *rt, nxt_process_t *process);

static void nxt_process_release(struct kref *kref)
{
	nxt_process_t *process = container_of(kref, nxt_process_t, use_count);

	nxt_runtime_process_unlink_locked(process->rt, process);
	pthread_mutex_unlock(&process->rt->processes_mutex);
	free(process);
}

void nxt_process_use(nxt_task_t *task, nxt_process_t *process, int i)
{
	if (i > 0)
		kref_get(&process->use_count);
	else
		kref_put_mutex(&process->use_count, nxt_process_release, &task->thread->runtime->processes_mutex);
}

static void nxt_port_broadcast_shm_ack(nxt_task_t *task, nxt_port_t *port, void *data)
{
	nxt_process_t *process = data;

	for (port = process->ports; port != NULL; port = port->next)
		(void) nxt_port_socket_write(task, port, NXT_PORT_MSG_SHM_ACK, -1, 0, 0, NULL);
}

void nxt_process_broadcast_shm_ack(nxt_task_t *task, nxt_process_t *process)
{
	nxt_port_t *port;

	if (process == NULL || process->ports == NULL)
		return;

	port = process->ports;
	if (port->type == NXT_PROCESS_APP)
		nxt_port_post(task, port, nxt_port_broadcast_shm_ack, process);	/* expect: rule 1 */
}
