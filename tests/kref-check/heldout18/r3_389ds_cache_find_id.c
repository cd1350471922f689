/* SPDX-License-Identifier: MIT */
/*
 * Project: 389ds/389-ds-base
 * Path: ldap/servers/slapd/back-ldbm/cache.c
 * Fix: c8f081f0a94c492198e3590bb7f5d187e9fc79f7
 * Bug: cache_find_id() (like cache_find_dn() and cache_find_uuid()) found
 * the entry in the cache's hash table under c_mutex but dropped c_mutex
 * before taking its reference, so cache_flush() could evict and free the
 * entry in between.
 */
#include <pthread.h>
#include <stddef.h>
#include <kref.h>

typedef unsigned int ID;

struct backentry {
	struct kref	ep_refcnt;	/* one held by the cache while hashed */
	int		ep_state;	/* nonzero: deleted or not fully created */
	ID		ep_id;
	struct backentry *ep_lrunext;
};

struct cache {
	pthread_mutex_t	c_mutex;	/* protects the tables and the LRU */
	void		*c_idtable;
	unsigned long	c_hits;
	unsigned long	c_tries;
};

/* finds a key in a cache table; stores a borrowed pointer in *out */
extern int find_hash(void *table, const void *key, size_t keylen, void **out);
/* unlinks the entry from the cache's tables */
extern void remove_hash_all(struct cache *cache, struct backentry *e);
/* takes the entry off the LRU list (it is in use again) */
extern void lru_delete(struct cache *cache, struct backentry *e);
/* puts the entry at the head of the LRU list (only the cache holds it) */
extern void lru_add(struct cache *cache, struct backentry *e);
/* unlinks and returns the least recently used entry, or NULL if none */
extern struct backentry *lru_pop_tail(struct cache *cache);
/* frees the entry's memory */
extern void backentry_free(struct backentry *e);

static void backentry_release(struct kref *kref)
{
	backentry_free(container_of(kref, struct backentry, ep_refcnt));
}

/* evicts one unused entry; c_mutex held */
void cache_flush_one(struct cache *cache)
{
	struct backentry *e = lru_pop_tail(cache);

	if (e == NULL)
		return;
	remove_hash_all(cache, e);
	kref_put(&e->ep_refcnt, backentry_release);	/* the cache's reference */
}

/* lookup an entry in the cache by its id# (you must return it later) */
struct backentry *cache_find_id(struct cache *cache, ID id)
{
	struct backentry *e = NULL;

	pthread_mutex_lock(&cache->c_mutex);
	if (find_hash(cache->c_idtable, &id, sizeof(ID), (void **)&e)) {
		/* need to check entry state */
		if (e->ep_state != 0) {
			/* entry is deleted or not fully created yet */
			pthread_mutex_unlock(&cache->c_mutex);
			return NULL;
		}
		if (kref_read(&e->ep_refcnt) == 1)
			lru_delete(cache, e);
		pthread_mutex_unlock(&cache->c_mutex);
		kref_get(&e->ep_refcnt); /* expect: rule 3 */
		cache->c_hits++;
	} else {
		e = NULL;
		pthread_mutex_unlock(&cache->c_mutex);
	}
	cache->c_tries++;

	return e;
}

void cache_return(struct cache *cache, struct backentry **bep)
{
	struct backentry *e = *bep;

	pthread_mutex_lock(&cache->c_mutex);
	if (kref_read(&e->ep_refcnt) == 2)
		lru_add(cache, e);
	kref_put(&e->ep_refcnt, backentry_release);
	pthread_mutex_unlock(&cache->c_mutex);
	*bep = NULL;
}
