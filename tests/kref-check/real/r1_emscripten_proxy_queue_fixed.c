/* SPDX-License-Identifier: MIT */
/*
 * Fixed twin of r1_emscripten_proxy_queue.c (own code):
 * emscripten-core/emscripten pull request #16524,
 * system/lib/pthread/proxying.c.  Each notification message owns a
 * reference on the queue, taken before it is sent and dropped by the
 * target thread once it has processed the message.
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
	kref_get(&q->ref);
	emscripten_notify_proxying_queue(target, q);
	return 1;
}
