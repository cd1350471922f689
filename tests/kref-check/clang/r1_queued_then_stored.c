/* SPDX-License-Identifier: MIT */
/* Rule 1: a new subscriber's one reference goes to the topic's queue, and
 * the same pointer is then kept in the stream's pending field without a
 * reference of its own: once the queue drops the subscriber, the field
 * points at freed memory. */
#include <stdlib.h>
#include <kref.h>

struct subscriber {
	struct kref ref;
	int fd;
};

struct stream {
	void *queue;
	struct subscriber *pending;
};

/* Appends sub to the queue (the queue's entry owns a reference). */
extern int queue_append(void *queue, struct subscriber *sub);

static void subscriber_free(struct kref *ref)
{
	free(container_of(ref, struct subscriber, ref));
}

void subscriber_unref(struct subscriber *s)
{
	kref_put(&s->ref, subscriber_free);
}

int stream_subscribe(struct stream *st, int fd)
{
	struct subscriber *s = calloc(1, sizeof(*s));

	if (!s)
		return -1;
	kref_init(&s->ref);
	s->fd = fd;
	queue_append(st->queue, s);
	st->pending = s;	/* expect: rule 1 */
	return 0;
}
