/* SPDX-License-Identifier: MIT */
/*
 * Project: memcached/memcached
 * Path: proto_parser.c
 * Fix commit: 152ddb68f7bf38fdb9428a84637c4552729b07dc
 * Bug: on the error path of the meta get, process_mget_cmd() drops the item
 * reference with the caller-locked do_item_remove() even when the item was
 * fetched without the item lock, so the put races the lookups that take it.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <pthread.h>
#include <kref.h>

typedef struct _stritem {
	struct _stritem *h_next;	/* hash chain */
	struct kref refcount;		/* the hash link holds one */
	uint8_t nkey;
	char *key;
} item;

struct _meta_flags {
	bool locked;
	bool no_update;
	bool opaque_too_long;
};

#define ITEM_LOCK_COUNT 1024
/* the item locks; the refcount of an item is serialized by item_lock(hv) */
static pthread_mutex_t item_locks[ITEM_LOCK_COUNT];

/* hashes a key */
extern uint32_t hash(const void *key, size_t length);
/* looks the key up in the hash table; caller holds item_lock(hv); returns a
 * borrowed pointer */
extern item *assoc_find(const char *key, size_t nkey, uint32_t hv);
/* gives the item's memory back to its slab class */
extern void item_free(item *it);
/* writes an error string into the response */
extern void pout_errstring(void *resp, const char *str);
/* writes the value and the requested flags into the response */
extern void write_meta_response(void *resp, item *it, struct _meta_flags *of);
/* the response takes over the caller's reference and drops it with
 * item_remove() once written */
extern void resp_set_item(void *resp, item *it);

static void item_lock(uint32_t hv)
{
	pthread_mutex_lock(&item_locks[hv % ITEM_LOCK_COUNT]);
}

static void item_unlock(uint32_t hv)
{
	pthread_mutex_unlock(&item_locks[hv % ITEM_LOCK_COUNT]);
}

static void item_release(struct kref *kref)
{
	item_free(container_of(kref, item, refcount));
}

/* caller holds the item lock */
void do_item_remove(item *it)
{
	kref_put(&it->refcount, item_release);
}

void item_remove(item *it)
{
	uint32_t hv = hash(it->key, it->nkey);

	item_lock(hv);
	do_item_remove(it);
	item_unlock(hv);
}

static item *limited_get(const char *key, size_t nkey)
{
	uint32_t hv = hash(key, nkey);
	item *it;

	item_lock(hv);
	it = assoc_find(key, nkey, hv);
	if (it != NULL)
		kref_get(&it->refcount);
	item_unlock(hv);
	return it;
}

/* returns with item_lock(*hv) held, found or not */
static item *limited_get_locked(const char *key, size_t nkey, uint32_t *hv)
{
	item *it;

	*hv = hash(key, nkey);
	item_lock(*hv);
	it = assoc_find(key, nkey, *hv);
	if (it != NULL)
		kref_get(&it->refcount);
	return it;
}

void process_mget_cmd(void *resp, const char *key, size_t nkey,
		      struct _meta_flags of)
{
	const char *errstr = "CLIENT_ERROR bad command line format";
	uint32_t hv = 0;
	item *it;

	if (!of.locked)
		it = limited_get(key, nkey);
	else
		it = limited_get_locked(key, nkey, &hv);

	if (it != NULL) {
		if (of.opaque_too_long) {
			errstr = "CLIENT_ERROR opaque token too long";
			goto error;
		}
		write_meta_response(resp, it, &of);
	}

	if (of.locked)
		item_unlock(hv);
	if (it != NULL)
		resp_set_item(resp, it);
	return;
error:
	if (it) {
		if (of.locked) {
			do_item_remove(it);
			item_unlock(hv);
		} else {
			item_remove(it);
		}
	}
	pout_errstring(resp, errstr);
}
