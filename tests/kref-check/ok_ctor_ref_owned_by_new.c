/* SPDX-License-Identifier: MIT */
/* Rule 2, correct: a constructor takes a reference on the pool for the
 * request it builds, which reaches the pool through r->slot (the slot the
 * pool was read from) and keeps it while it lives (req_free puts it).  An
 * early success exit returns the request with the reference; only the
 * failure path, which frees the request, puts it.  The early return leaks
 * nothing: the reference belongs to the object it returns.  Shape of
 * drbd_alloc_peer_req() (LINBIT/drbd 14f4962ca1ef), written anew. */
#include <stdlib.h>
#include <kref.h>

struct pool { struct kref ref; int limit; };
struct slot { struct pool *pool; int id; };
struct req { struct slot *slot; int len; void *buf; };

static void pool_release(struct kref *ref)
{
	free(container_of(ref, struct pool, ref));
}

static int req_alloc_buf(struct req *r, int len)
{
	r->buf = malloc(len);
	return r->buf ? 0 : -1;
}

struct req *req_new(struct slot *slot, int len)
{
	struct pool *pool = slot->pool;
	struct req *r = malloc(sizeof(*r));

	if (!r)
		return NULL;
	kref_get(&pool->ref);	/* for r->slot->pool, while r lives */
	r->slot = slot;
	r->len = len;
	r->buf = NULL;
	if (len == 0)
		return r;
	if (req_alloc_buf(r, len) < 0)
		goto fail;
	return r;

fail:
	kref_put(&pool->ref, pool_release);
	free(r);
	return NULL;
}

void req_free(struct req *r)
{
	struct pool *pool = r->slot->pool;

	free(r->buf);
	kref_put(&pool->ref, pool_release);
	free(r);
}
