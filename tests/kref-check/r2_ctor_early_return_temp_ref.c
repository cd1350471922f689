/* SPDX-License-Identifier: MIT */
/* Rule 2: the look-alike of ok_ctor_ref_owned_by_new.c whose reference is
 * not the new object's: the constructor looks the pool up (a reference),
 * reads its limit into the request and puts the pool on its way out.  The
 * request keeps no pointer to it, so the early success exit that returns
 * the request leaks the lookup's reference. */
#include <stdlib.h>
#include <kref.h>

struct pool { struct kref ref; int limit; };
struct pool_table;
struct req { int len; void *buf; };

/* Returns the pool with a reference the caller must drop, or NULL. */
struct pool *pool_lookup(struct pool_table *t, int id);

static void pool_release(struct kref *ref)
{
	free(container_of(ref, struct pool, ref));
}

struct req *req_new_in(struct pool_table *t, int id, int len)
{
	struct req *r = malloc(sizeof(*r));
	struct pool *pool;

	if (!r)
		return NULL;
	pool = pool_lookup(t, id);
	if (!pool) {
		free(r);
		return NULL;
	}
	r->len = len < pool->limit ? len : pool->limit;
	r->buf = NULL;
	if (r->len == 0)
		return r;	/* expect: rule 2 */
	r->buf = malloc(r->len);
	kref_put(&pool->ref, pool_release);
	return r;
}
