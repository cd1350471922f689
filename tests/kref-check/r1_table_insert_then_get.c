/* SPDX-License-Identifier: MIT */
/* Rule 1 with a table: the object is inserted in the shared cache, where
 * other threads find it and may evict it (putting the cache's reference),
 * before the cache's reference is taken. */
#include <pthread.h>
#include <stdlib.h>
#include <kref.h>

#define CACHE_SLOTS 64

struct blob {
	struct kref ref;
	unsigned key;
	size_t size;
};

static struct blob *cache[CACHE_SLOTS];
static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;

static void blob_release(struct kref *ref)
{
	struct blob *b = container_of(ref, struct blob, ref);

	cache[b->key % CACHE_SLOTS] = NULL;
	pthread_mutex_unlock(&cache_lock);
	free(b);
}

void blob_put(struct blob *b)
{
	kref_put_mutex(&b->ref, blob_release, &cache_lock);
}

static void cache_insert(struct blob *b)
{
	pthread_mutex_lock(&cache_lock);
	cache[b->key % CACHE_SLOTS] = b;
	pthread_mutex_unlock(&cache_lock);
}

struct blob *blob_create(unsigned key, size_t size)
{
	struct blob *b = malloc(sizeof(*b));

	if (!b)
		return NULL;
	kref_init(&b->ref);
	b->key = key;
	b->size = size;
	cache_insert(b);
	kref_get(&b->ref);	/* expect: rule 1 */
	return b;
}
