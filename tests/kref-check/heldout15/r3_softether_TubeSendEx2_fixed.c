/* SPDX-License-Identifier: MIT */
/*
 * Project: SoftEtherVPN/SoftEtherVPN
 * Path:    src/Mayaqua/Network.c (TubeSendEx2, SetTubeSockEvent)
 * Fix:     9182a9b4e9ba44b4a92739163e6256fb7d1c5d94
 * Bug:     TubeSendEx2() (like TubeFlushEx()) reads the tube's SockEvent
 *          pointer and signals it without holding t->Lock and without a
 *          reference, while SetTubeSockEvent() replaces that pointer under
 *          t->Lock and releases the old SOCK_EVENT, possibly its last
 *          reference.
 *
 * SOCK_EVENT's REF (AddRef/Release) is the kref.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <kref.h>

typedef unsigned int UINT;
typedef struct QUEUE QUEUE;
typedef struct EVENT EVENT;

typedef struct SOCK_EVENT {
	struct kref	ref;
	int		pipe_read, pipe_write;
	UINT		current_pipe_data;
} SOCK_EVENT;

typedef struct TUBE {
	pthread_mutex_t	Lock;
	QUEUE		*Queue;
	EVENT		*Event;
	SOCK_EVENT	*SockEvent;	/* counted: the tube holds a reference */
} TUBE;

/* true while the other end of the tube is alive */
extern bool IsTubeConnected(TUBE *t);
/* appends a copy of data to the queue under the queue's own lock; false if the queue is full */
extern bool TubeQueueData(TUBE *t, void *data, UINT size, void *header, UINT max_num_in_queue);
/* signals a plain event */
extern void Set(EVENT *e);
/* writes a byte into the event's pipe to wake up its poller */
extern void UnixWritePipe(int fd);
/* closes both ends of the pipe */
extern void UnixDeletePipe(int r, int w);

static void CleanupSockEvent(struct kref *ref)
{
	SOCK_EVENT *event = container_of(ref, SOCK_EVENT, ref);

	UnixDeletePipe(event->pipe_read, event->pipe_write);
	free(event);
}

void ReleaseSockEvent(SOCK_EVENT *event)
{
	if (event == NULL)
		return;
	kref_put(&event->ref, CleanupSockEvent);
}

void SetSockEvent(SOCK_EVENT *event)
{
	if (event == NULL)
		return;
	if (event->current_pipe_data <= 100) {
		UnixWritePipe(event->pipe_write);
		event->current_pipe_data++;
	}
}

/* Attach e to the tube, dropping the previous event. */
void SetTubeSockEvent(TUBE *t, SOCK_EVENT *e)
{
	if (t == NULL)
		return;

	pthread_mutex_lock(&t->Lock);
	if (t->SockEvent != e) {
		if (t->SockEvent != NULL)
			ReleaseSockEvent(t->SockEvent);
		if (e != NULL)
			kref_get(&e->ref);
		t->SockEvent = e;
	}
	pthread_mutex_unlock(&t->Lock);
}

bool TubeSendEx2(TUBE *t, void *data, UINT size, void *header, bool no_flush, UINT max_num_in_queue)
{
	if (t == NULL || data == NULL || size == 0)
		return false;

	if (IsTubeConnected(t) == false)
		return false;

	if (TubeQueueData(t, data, size, header, max_num_in_queue) == false)
		no_flush = true;

	if (no_flush == false) {
		pthread_mutex_lock(&t->Lock);
		Set(t->Event);
		SetSockEvent(t->SockEvent);
		pthread_mutex_unlock(&t->Lock);
	}

	return true;
}
