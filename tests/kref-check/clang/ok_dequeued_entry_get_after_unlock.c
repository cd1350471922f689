/* SPDX-License-Identifier: MIT */
/* the message is taken off the queue under the queue lock (it is now
 * this thread's alone); the sender it holds a reference to is got for the
 * reply after the unlock. */
#include <pthread.h>
#include <stdlib.h>
#include <kref.h>

struct peer { struct kref ref; int id; };
struct msg { struct peer *sender; int len; };
struct mqueue { pthread_mutex_t lock; struct msg *head; };

/* Removes and returns the oldest message (the caller frees it with
 * msg_free()), or NULL; call with the queue lock held. */
extern struct msg *mqueue_dequeue(struct mqueue *q);
extern void msg_free(struct msg *m);
extern void reply_later(struct peer *p, int len);

static void peer_release(struct kref *ref)
{
	free(container_of(ref, struct peer, ref));
}

void pump(struct mqueue *q)
{
	struct msg *m;
	struct peer *p;

	pthread_mutex_lock(&q->lock);
	m = mqueue_dequeue(q);
	pthread_mutex_unlock(&q->lock);
	if (!m)
		return;
	p = m->sender;
	kref_get(&p->ref);
	reply_later(p, m->len);
	msg_free(m);
	kref_put(&p->ref, peer_release);
}
