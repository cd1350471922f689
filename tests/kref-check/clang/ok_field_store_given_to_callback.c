/* SPDX-License-Identifier: MIT */
/* The buffer's own reference travels with the wrapper handed to the
 * pipeline: its done callback gives it back to the pool and puts the
 * wrapper's.  Nothing is left over on this path. */
#include <stdlib.h>
#include <kref.h>

struct buffer { struct kref ref; void *data; };
struct wrap { struct buffer *buf; };

/* Takes a filled buffer off the pool; the caller owns the reference. */
extern struct buffer *pool_take(void);
/* Gives a buffer back to the pool, with its reference. */
extern void pool_give(struct buffer *b);
/* Queues data on the pipeline; done(arg) runs when it has been sent. */
extern void pipeline_push(void *data, void (*done)(void *arg), void *arg);

static void buffer_release(struct kref *ref)
{
	free(container_of(ref, struct buffer, ref));
}

static void wrap_done(void *arg)
{
	struct wrap *w = arg;

	pool_give(w->buf);
	kref_put(&w->buf->ref, buffer_release);
	free(w);
}

void send_next(void)
{
	struct buffer *b = pool_take();
	struct wrap *w;

	if (!b)
		return;
	w = malloc(sizeof(*w));
	if (!w) {
		pool_give(b);
		return;
	}
	kref_get(&b->ref);
	w->buf = b;
	pipeline_push(b->data, wrap_done, w);
}
