/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: libgit2/libgit2 commit
 * 6ee6861123ccb599af584377dd8b75eeea24858b "cache: fix race condition"
 * (PR #924), src/cache.c, git_cache_try_store().  When the slot already
 * holds an object with the same oid, the function drops the entry it was
 * given and returns the cached node instead, but it takes the caller's
 * reference on that node only after unlocking cache->lock.  In between,
 * another thread storing into the same slot decrements the node (owned
 * only by the cache) and frees it, and the first thread then increments
 * and returns freed memory.  The fix moves the increment inside the
 * locked section.  git_cached_obj's git_atomic refcount written here with
 * struct kref.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <kref.h>

typedef struct { unsigned char id[20]; } git_oid;
typedef struct {
	git_oid oid;
	struct kref refcount;
} git_cached_obj;
typedef struct {
	git_cached_obj **nodes;
	pthread_mutex_t lock;
	unsigned int lru_count;
	size_t size_mask;
} git_cache;

int git_oid_cmp(const git_oid *a, const git_oid *b);
/* The cache's free_obj callback (git_odb_object__free). */
void git_cache_free_obj(git_cached_obj *obj);

static void git_cached_obj_release(struct kref *kref)
{
	git_cache_free_obj(container_of(kref, git_cached_obj, refcount));
}

static void git_cached_obj_incref(void *_obj)
{
	git_cached_obj *obj = _obj;

	kref_get(&obj->refcount);
}

static void git_cached_obj_decref(void *_obj)
{
	git_cached_obj *obj = _obj;

	kref_put(&obj->refcount, git_cached_obj_release);
}

void *git_cache_get(git_cache *cache, const git_oid *oid)
{
	uint32_t hash;
	git_cached_obj *node = NULL, *result = NULL;

	memcpy(&hash, oid->id, sizeof(hash));

	pthread_mutex_lock(&cache->lock);
	{
		node = cache->nodes[hash & cache->size_mask];
		if (node != NULL && git_oid_cmp(&node->oid, oid) == 0) {
			git_cached_obj_incref(node);
			result = node;
		}
	}
	pthread_mutex_unlock(&cache->lock);

	return result;
}

void *git_cache_try_store(git_cache *cache, void *_entry)
{
	git_cached_obj *entry = _entry;
	uint32_t hash;

	memcpy(&hash, &entry->oid, sizeof(uint32_t));

	/* increase the refcount on this object, because
	 * the cache now owns it */
	git_cached_obj_incref(entry);

	pthread_mutex_lock(&cache->lock);
	{
		git_cached_obj *node = cache->nodes[hash & cache->size_mask];

		if (node == NULL) {
			cache->nodes[hash & cache->size_mask] = entry;
		} else if (git_oid_cmp(&node->oid, &entry->oid) == 0) {
			git_cached_obj_decref(entry);
			entry = node;
		} else {
			git_cached_obj_decref(node);
			cache->nodes[hash & cache->size_mask] = entry;
		}
	}
	pthread_mutex_unlock(&cache->lock);

	/* increase the refcount again, because we are
	 * returning it to the user */
	git_cached_obj_incref(entry);	/* expect: rule 3 */

	return entry;
}
