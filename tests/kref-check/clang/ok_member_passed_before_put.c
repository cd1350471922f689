/* SPDX-License-Identifier: MIT */
/* The stream's waiters are woken while its reference is still held. */
#include <stdlib.h>
#include <kref.h>

struct waitq { int waiters; };
struct stream { struct kref ref; struct waitq closed; };

/* Returns the stream with a new reference, or NULL. */
extern struct stream *stream_open(int id);
extern void waitq_wake_all(struct waitq *q);

static void stream_release(struct kref *ref)
{
	free(container_of(ref, struct stream, ref));
}

void stream_close(int id)
{
	struct stream *s = stream_open(id);

	if (!s)
		return;
	waitq_wake_all(&s->closed);
	kref_put(&s->ref, stream_release);
}
