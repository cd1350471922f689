/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: emscripten-core/emscripten pull
 * request #16524 "Add refcounting and a zombie list to em_proxying_queue"
 * (follow-up of #16511), system/lib/pthread/proxying.c.  Adding work to a
 * proxying queue sends the target thread a notification message that
 * points at the queue, but the message held no reference: the queue could
 * be destroyed before the target thread processed the notification.
 */
#include <stdlib.h>
#include <kref.h>

struct em_proxying_queue {
	struct kref ref;
	int pending;
};

void emscripten_notify_proxying_queue(unsigned long target,
				      struct em_proxying_queue *q);

static void queue_free(struct kref *ref)
{
	free(container_of(ref, struct em_proxying_queue, ref));
}

/* Runs on the target thread when the notification arrives. */
void receive_notification(struct em_proxying_queue *q)
{
	q->pending = 0;
	kref_put(&q->ref, queue_free);
}

int em_proxying_queue_add(struct em_proxying_queue *q, unsigned long target)
{
	q->pending++;
	emscripten_notify_proxying_queue(target, q);	/* expect: rule 1 */
	return 1;
}
