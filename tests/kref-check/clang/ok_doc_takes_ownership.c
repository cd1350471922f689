/* SPDX-License-Identifier: MIT */
/* queue_attach() takes ownership of the caller's reference on success;
 * on failure it keeps no reference and the caller puts. */
#include <stdlib.h>
#include <kref.h>

struct buf { struct kref ref; size_t len; };
struct queue;

/* Returns a new buffer, one reference for the caller, or NULL. */
extern struct buf *buf_alloc(size_t len);
/* Attaches @b to the tail of @q.  On success the queue takes ownership of
 * the caller's reference; on failure (queue full) no reference is kept. */
extern int queue_attach(struct queue *q, struct buf *b);

static void buf_release(struct kref *ref)
{
	free(container_of(ref, struct buf, ref));
}

int enqueue(struct queue *q, size_t len)
{
	struct buf *b = buf_alloc(len);

	if (!b)
		return -1;
	if (queue_attach(q, b)) {
		kref_put(&b->ref, buf_release);
		return -1;
	}
	return 0;
}
