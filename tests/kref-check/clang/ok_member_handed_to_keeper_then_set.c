/* SPDX-License-Identifier: MIT */
/* Correct: (no deref) the current batch is handed to the queue (its entry
 * owns the reference), then replaced by a new one. */
#include <stdlib.h>
#include <kref.h>

struct batch { struct kref ref; int n; };
struct writer { struct batch *cur; void *q; };

static void batch_free(struct kref *ref) { free(container_of(ref, struct batch, ref)); }
void batch_put(struct batch *b) { kref_put(&b->ref, batch_free); }
/* Returns a new reference to an empty batch. */
extern struct batch *batch_new(void);
/* Appends batch to the flush queue (the queue's entry owns a reference). */
extern void flushq_push(void *q, struct batch *batch);

void writer_flush(struct writer *w)
{
	flushq_push(w->q, w->cur);
	w->cur = batch_new();
}

void writer_fini(struct writer *w)
{
	batch_put(w->cur);
}
