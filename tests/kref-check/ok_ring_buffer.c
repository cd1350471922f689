/* SPDX-License-Identifier: MIT */
/* Correct: a ring buffer whose reference is taken before the message is
 * visible and taken over by the consumer. */
#include <pthread.h>
#include <stdlib.h>
#include <kref.h>

struct msg { struct kref ref; int len; };
static void msg_release(struct kref *ref) { free(container_of(ref, struct msg, ref)); }

#define N 8
static struct msg *ring[N];
static unsigned head, tail;
static pthread_mutex_t ring_lock = PTHREAD_MUTEX_INITIALIZER;

/* Correct: the ring's reference is taken before the message is visible. */
int ring_put_msg(struct msg *m)
{
	pthread_mutex_lock(&ring_lock);
	if (head - tail == N) {
		pthread_mutex_unlock(&ring_lock);
		return -1;
	}
	kref_get(&m->ref);
	ring[head++ % N] = m;
	pthread_mutex_unlock(&ring_lock);
	return 0;
}

/* Correct: the consumer takes over the ring's reference. */
struct msg *ring_take(void)
{
	struct msg *m = NULL;
	pthread_mutex_lock(&ring_lock);
	if (tail != head)
		m = ring[tail++ % N];
	pthread_mutex_unlock(&ring_lock);
	return m;
}

void consume(void)
{
	struct msg *m = ring_take();
	if (m)
		kref_put(&m->ref, msg_release);
}
