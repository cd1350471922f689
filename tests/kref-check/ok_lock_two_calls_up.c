/* SPDX-License-Identifier: MIT */
/* Correct: the lookup runs two calls below the lock; an object nobody
 * could find yet is put plainly. */
#include <pthread.h>
#include <stdlib.h>
#include <kref.h>

struct blk { struct kref ref; struct blk *next; long lba; };
static struct blk *cache;
static pthread_mutex_t cache_mu = PTHREAD_MUTEX_INITIALIZER;

static void blk_release(struct kref *ref)
{
	struct blk *b = container_of(ref, struct blk, ref), **pp;
	for (pp = &cache; *pp; pp = &(*pp)->next)
		if (*pp == b) { *pp = b->next; break; }
	pthread_mutex_unlock(&cache_mu);
	free(b);
}

static void blk_put(struct blk *b) { kref_put_mutex(&b->ref, blk_release, &cache_mu); }

static struct blk *blk_lookup_locked(long lba)
{
	struct blk *b;
	for (b = cache; b; b = b->next)
		if (b->lba == lba) {
			kref_get(&b->ref);
			return b;
		}
	return NULL;
}

static struct blk *blk_lookup_or_null(long lba)
{
	return blk_lookup_locked(lba);
}

/* Correct: the lock is held two calls up. */
long blk_touch(long lba)
{
	struct blk *b;

	pthread_mutex_lock(&cache_mu);
	b = blk_lookup_or_null(lba);
	pthread_mutex_unlock(&cache_mu);
	if (!b)
		return -1;
	blk_put(b);
	return lba;
}

/* Correct: a new block is put once if it cannot be cached, before anyone
 * could have found it. */
int blk_add(long lba)
{
	struct blk *b = malloc(sizeof(*b));
	if (!b)
		return -1;
	kref_init(&b->ref);
	b->lba = lba;
	if (lba < 0) {
		kref_put(&b->ref, blk_release);
		return -1;
	}
	pthread_mutex_lock(&cache_mu);
	b->next = cache;
	cache = b;
	pthread_mutex_unlock(&cache_mu);
	return 0;
}
