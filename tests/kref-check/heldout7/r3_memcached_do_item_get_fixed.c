/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (not a copy) of a refcount bug fixed in memcached.
 *
 * Repository: memcached/memcached
 * Commit:     40b7b4b2b62d67062eb536cb5395e74172c0c31c
 * Title:      "clean do_item_get logic a bit. fix race."
 * Path:       items.c
 * Function:   do_item_get()
 *
 * do_item_get() looked the key up in the hash table with assoc_find()
 * under cache_lock, dropped cache_lock, ran its flush/expiry tests on the
 * item and only then did it->refcount++.  Meanwhile do_item_alloc() for
 * another key, under cache_lock, could pick the same item off the LRU
 * tail, see no reference on it (do_item_get had not taken one yet),
 * unlink it and free/reuse it; do_item_get then took its reference on,
 * and returned, an item that was gone.  Fixed by taking the reference
 * inside the cache_lock section right after assoc_find() (the expiry
 * paths then drop it again under cache_lock before unlinking).
 *
 * The item's refcount is modelled with a struct kref in which the link
 * (hash table + LRU) holds one reference, as memcached itself counts
 * since 1.4.11; "no reference besides the link" is a count of 1.
 */
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <kref.h>

typedef unsigned int rel_time_t;

typedef struct _stritem {
	struct _stritem *next, *prev;	/* LRU, under cache_lock */
	struct kref refcount;
	rel_time_t time;
	rel_time_t exptime;
	unsigned it_flags;
	uint8_t slabs_clsid;
	char key[];
} item;

#define ITEM_LINKED	1
#define ITEM_FETCHED	8

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
extern item *tails[];
extern rel_time_t current_time;
extern rel_time_t oldest_live;

/* the linked item for key, or NULL; cache_lock held */
extern item *assoc_find(const char *key, size_t nkey, uint32_t hv);
extern void assoc_delete(const char *key, size_t nkey, uint32_t hv);
extern void item_unlink_q(item *it);
extern void slabs_free(void *ptr, unsigned clsid);
extern uint32_t hash(const char *key, size_t nkey);

static void item_free(struct kref *kref)
{
	item *it = container_of(kref, item, refcount);

	slabs_free(it, it->slabs_clsid);
}

/* cache_lock held: drops the link's reference */
static void do_item_unlink_nolock(item *it, uint32_t hv)
{
	if (it->it_flags & ITEM_LINKED) {
		it->it_flags &= ~ITEM_LINKED;
		assoc_delete(it->key, 0, hv);
		item_unlink_q(it);
		kref_put(&it->refcount, item_free);
	}
}

/* caller's reference */
void do_item_remove(item *it)
{
	kref_put(&it->refcount, item_free);
}

item *do_item_get(const char *key, size_t nkey, uint32_t hv)
{
	pthread_mutex_lock(&cache_lock);
	item *it = assoc_find(key, nkey, hv);
	if (it != NULL)
		kref_get(&it->refcount);
	pthread_mutex_unlock(&cache_lock);

	if (it != NULL) {
		if (oldest_live != 0 && it->time <= oldest_live) {
			pthread_mutex_lock(&cache_lock);	/* nuked by flush */
			kref_put(&it->refcount, item_free);
			do_item_unlink_nolock(it, hv);
			pthread_mutex_unlock(&cache_lock);
			it = NULL;
		} else if (it->exptime != 0 && it->exptime <= current_time) {
			pthread_mutex_lock(&cache_lock);	/* nuked by expire */
			kref_put(&it->refcount, item_free);
			do_item_unlink_nolock(it, hv);
			pthread_mutex_unlock(&cache_lock);
			it = NULL;
		} else {
			it->it_flags |= ITEM_FETCHED;
		}
	}
	return it;
}

/* evicts an unreferenced item of another key from the LRU tail */
void *do_item_alloc_evict(unsigned id)
{
	item *search;

	pthread_mutex_lock(&cache_lock);
	search = tails[id];
	if (search != NULL && kref_read(&search->refcount) == 1 &&
	    search->exptime != 0 && search->exptime < current_time)
		do_item_unlink_nolock(search, hash(search->key, 0));
	pthread_mutex_unlock(&cache_lock);
	return NULL;
}
