/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: libgit2/libgit2 commit
 * d884d1c41701fa1c6c9057632787184cd18448e5 "Fix race in
 * git_packfile_unpack." (PR #2907), src/pack.c, new_cache_object(),
 * cache_add() and git_packfile_unpack().  A delta base is put into the
 * pack's shared base cache with no reference for the unpacker, which goes
 * on using the base it just published: another thread's
 * free_lowest_entry() can evict and free it meanwhile.  Here the cache's
 * hold is the count's initial reference and each user takes one more
 * (libgit2 counts users only and evicts entries with none).
 */
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <kref.h>

typedef long long git_off_t;
typedef struct { void *data; size_t len; int type; } git_rawobj;
typedef struct { struct kref refcount; git_rawobj raw; } git_pack_cache_entry;
typedef struct git_offmap git_offmap;
typedef struct { pthread_mutex_t lock; git_offmap *entries; size_t memory_used, memory_limit; } git_pack_cache;
struct git_pack_file { git_pack_cache bases; };

/* khash, as used by pack.c; the table holds the cache's reference */
int git_offmap_exists(git_offmap *map, git_off_t key);
void git_offmap_set(git_offmap *map, git_off_t key, git_pack_cache_entry *entry);
git_pack_cache_entry *git_offmap_evict_unused(git_offmap *map);	/* unlinks an entry nobody uses */
int packfile_apply_delta(git_rawobj *obj, const git_rawobj *base, git_off_t delta_offset);

static void free_cache_object(struct kref *kref)
{
	git_pack_cache_entry *e = container_of(kref, git_pack_cache_entry, refcount);
	free(e->raw.data);
	free(e);
}

static git_pack_cache_entry *new_cache_object(git_rawobj *source)
{
	git_pack_cache_entry *e = calloc(1, sizeof(*e));
	if (!e)
		return NULL;
	kref_init(&e->refcount);	/* the cache's reference */
	memcpy(&e->raw, source, sizeof(git_rawobj));
	return e;
}

static void free_lowest_entry(git_pack_cache *cache)
{
	git_pack_cache_entry *entry = git_offmap_evict_unused(cache->entries);
	if (entry) {
		cache->memory_used -= entry->raw.len;
		kref_put(&entry->refcount, free_cache_object);
	}
}

static int cache_add(git_pack_cache *cache, git_rawobj *base, git_off_t offset)
{
	git_pack_cache_entry *entry = new_cache_object(base);
	int exists;
	if (!entry)
		return 0;
	pthread_mutex_lock(&cache->lock);
	exists = git_offmap_exists(cache->entries, offset);
	if (!exists) {
		while (cache->memory_used + base->len > cache->memory_limit)
			free_lowest_entry(cache);
		git_offmap_set(cache->entries, offset, entry);	/* expect: rule 1 */
		cache->memory_used += entry->raw.len;
	}
	pthread_mutex_unlock(&cache->lock);
	if (exists) {
		free(entry);
		return -1;
	}
	return 0;
}

int git_packfile_unpack(git_rawobj *obj, struct git_pack_file *p, git_off_t base_key, git_off_t delta_offset)
{
	int free_base = !!cache_add(&p->bases, obj, base_key);
	git_rawobj base = *obj;	/* still used after it was published */
	int error = packfile_apply_delta(obj, &base, delta_offset);

	if (free_base)
		free(base.data);
	return error;
}
