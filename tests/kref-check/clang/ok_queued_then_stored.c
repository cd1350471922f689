/* SPDX-License-Identifier: MIT */
/* A new subscriber's first reference goes to the topic's queue; the
 * stream's pending field takes a second one for itself. */
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
	kref_get(&s->ref);
	queue_append(st->queue, s);
	st->pending = s;
	return 0;
}
