/* SPDX-License-Identifier: MIT */
/* Rule 2: Buffer from a declared accessor put when the request's length is
 * 0 (not a flag recording a reference), then written: use after put. */
#include <kref.h>

struct buf { struct kref ref; int used; };
struct req { int len; int id; };

extern struct buf *req_buffer(struct req *r);
extern void buf_free(struct kref *ref);
void buf_put(struct buf *b) { kref_put(&b->ref, buf_free); }

void req_finish(struct req *r)
{
	struct buf *b = req_buffer(r);

	if (r->len == 0) {
		buf_put(b);
		r->id = -1;
	}
	b->used = r->len;	/* expect: rule 2 */
}
