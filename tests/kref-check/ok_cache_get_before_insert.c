/* SPDX-License-Identifier: MIT */
/* Correct: the caller's reference is taken before the object enters the
 * shared cache; lookups and the final put both take cache_lock. */
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

	if (cache[b->key % CACHE_SLOTS] == b)
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

struct blob *blob_lookup(unsigned key)
{
	struct blob *b;

	pthread_mutex_lock(&cache_lock);
	b = cache[key % CACHE_SLOTS];
	if (b && b->key == key)
		kref_get(&b->ref);
	else
		b = NULL;
	pthread_mutex_unlock(&cache_lock);
	return b;
}

struct blob *blob_create(unsigned key, size_t size)
{
	struct blob *b = malloc(sizeof(*b));

	if (!b)
		return NULL;
	kref_init(&b->ref);
	b->key = key;
	b->size = size;
	kref_get(&b->ref);
	cache_insert(b);
	return b;
}
