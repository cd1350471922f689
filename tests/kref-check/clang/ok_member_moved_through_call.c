/* SPDX-License-Identifier: MIT */
/* Correct: (no deref) realloc-style: field = grow(field); grow returns a
 * new reference and its comment says the old one is invalid afterwards. */
#include <stdlib.h>
#include <kref.h>

struct vec { struct kref ref; int cap; };
struct holder { struct vec *v; };

static void vec_free(struct kref *ref) { free(container_of(ref, struct vec, ref)); }
void vec_put(struct vec *v) { kref_put(&v->ref, vec_free); }
/* Returns a new vec (one reference). */
extern struct vec *vec_new(int cap);
/* Returns a new reference to a vec of at least cap entries holding old's contents; old must not be used afterwards (like realloc). */
extern struct vec *vec_grow(struct vec *old, int cap);

void holder_init(struct holder *h)
{
	h->v = vec_new(4);
}

void holder_reserve(struct holder *h, int cap)
{
	h->v = vec_grow(h->v, cap);
}

void holder_fini(struct holder *h)
{
	vec_put(h->v);
}
