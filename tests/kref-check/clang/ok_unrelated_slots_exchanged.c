/* SPDX-License-Identifier: MIT */
/* Kept: two unrelated 'struct buf **' parameters.  The cache
 * publishes into its slot with an atomic exchange under its lock;
 * pick_first() gets the first element of a caller's private array. */
#include <pthread.h>
#include <stdlib.h>
#include <kref.h>

struct buf { struct kref ref; size_t len; };

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;

static void buf_free(struct kref *ref)
{
	free(container_of(ref, struct buf, ref));
}

void cache_replace(struct buf **slot, struct buf *n)
{
	struct buf *old;

	kref_get(&n->ref);
	pthread_mutex_lock(&cache_lock);
	old = __atomic_exchange_n(slot, n, __ATOMIC_ACQ_REL);
	pthread_mutex_unlock(&cache_lock);
	if (old)
		kref_put(&old->ref, buf_free);
}

/* The first of the caller's buffers, with a new reference. */
struct buf *pick_first(struct buf **bufs, size_t n)
{
	if (!n || !bufs[0])
		return NULL;
	kref_get(&bufs[0]->ref);
	return bufs[0];
}
