/* SPDX-License-Identifier: MIT */
/* Rule 2: an error path returns without putting the reference it took. */
#include <stdlib.h>
#include <kref.h>

struct buf { struct kref ref; size_t len; };

/* Returns the buffer with a new reference, or NULL. */
extern struct buf *buf_lookup_get(int key);
extern int buf_send(const struct buf *b);

static void buf_release(struct kref *ref)
{
	free(container_of(ref, struct buf, ref));
}

int buf_flush(int key)
{
	struct buf *b = buf_lookup_get(key);

	if (!b)
		return -1;
	if (b->len == 0)
		return 0;	/* expect: rule 2 */
	buf_send(b);
	kref_put(&b->ref, buf_release);
	return 1;
}
