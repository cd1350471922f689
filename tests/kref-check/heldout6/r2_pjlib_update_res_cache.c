/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: pjsip/pjproject commit
 * c0ce4d60e907bc97a2892c00dfc29f3c1425a79c "Fix #1710: Modified resolver to
 * always remove cache entry from cache hash table first before
 * releasing/resetting cache pool." (svn r4649),
 * pjlib-util/src/pjlib-util/resolver.c, update_res_cache().  A cached DNS
 * response lives in its own pool, together with the hash table node
 * (cache->hbuf) and key that link it into resolver->hrescache.  On a failed
 * query, or an answer with TTL 0, update_res_cache() dropped the cache's
 * reference first, releasing the pool when it was the last, and only then
 * removed the entry from the hash table, which walks the freed node: the
 * put left the table's pointer behind.  The fix removes the entry before
 * the put (and before resetting a reused entry's pool).  cached_res's
 * ref_cnt is written with a kref; the resolver's mutex is held by the
 * callers.
 */
#include <stdlib.h>
#include <string.h>
#include <kref.h>

#define PJ_SUCCESS 0
typedef int pj_status_t;
typedef unsigned int pj_uint32_t;

struct res_key { int qtype; char name[64]; };

struct cached_res {
	void *pool;			/* holds this struct */
	struct res_key key;
	char hbuf[32];			/* the hash table node */
	struct kref ref_cnt;
};

typedef struct pj_dns_resolver { void *hrescache; } pj_dns_resolver;

/* pj_hash_get(): the value stored under key (no reference), and its hash in *hval. */
extern void *pj_hash_get(void *ht, const void *key, unsigned keylen, pj_uint32_t *hval);
/* pj_hash_set(NULL, ht, key, ..., NULL): unlinks the entry for key, walking its node. */
extern void pj_hash_set(void *pool, void *ht, const void *key, unsigned keylen, pj_uint32_t hval, void *value);
/* pj_hash_set_np(): links value under key, using node memory given by the caller. */
extern void pj_hash_set_np(void *ht, const void *key, unsigned keylen, pj_uint32_t hval, void *entry_buf, void *value);
/* A new cache entry from a new pool, ref_cnt 1. */
extern struct cached_res *alloc_entry(pj_dns_resolver *resolver);
/* pj_pool_release() */
extern void pj_pool_release(void *pool);

static void free_entry(struct kref *ref)
{
	struct cached_res *cache = container_of(ref, struct cached_res, ref_cnt);

	pj_pool_release(cache->pool);
}

void update_res_cache(pj_dns_resolver *resolver, const struct res_key *key,
		      pj_status_t status, pj_uint32_t ttl)
{
	struct cached_res *cache;
	pj_uint32_t hval = 0;

	/* If status is unsuccessful, clear the same entry from the cache */
	if (status != PJ_SUCCESS) {
		cache = pj_hash_get(resolver->hrescache, key, sizeof(*key), &hval);
		if (cache)
			kref_put(&cache->ref_cnt, free_entry); /* expect: rule 2 */
		pj_hash_set(NULL, resolver->hrescache, key, sizeof(*key), hval, NULL);
	}

	/* If TTL is zero, clear the same entry in the hash table */
	if (ttl == 0) {
		cache = pj_hash_get(resolver->hrescache, key, sizeof(*key), &hval);
		if (cache)
			kref_put(&cache->ref_cnt, free_entry); /* expect: rule 2 */
		pj_hash_set(NULL, resolver->hrescache, key, sizeof(*key), hval, NULL);
		return;
	}

	/* Get a cache response entry */
	cache = pj_hash_get(resolver->hrescache, key, sizeof(*key), &hval);
	if (cache != NULL) {
		/* in use by a callback: let it go when the callback returns */
		pj_hash_set(NULL, resolver->hrescache, key, sizeof(*key), hval, NULL);
		kref_put(&cache->ref_cnt, free_entry);
	}
	cache = alloc_entry(resolver);

	/* Copy key to the cached response */
	memcpy(&cache->key, key, sizeof(*key));

	/* Update the hash table */
	pj_hash_set_np(resolver->hrescache, &cache->key, sizeof(*key), hval, cache->hbuf, cache);
}
