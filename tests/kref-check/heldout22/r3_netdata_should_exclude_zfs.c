/* SPDX-License-Identifier: MIT */
/*
 * Project: netdata/netdata
 * Path:    src/collectors/diskspace.plugin/plugin_diskspace.c
 * Fix:     d0bf5fe21218e24f1aadde72f0ae7044d0373149
 * Bug:     should_exclude_zfs() (slow worker thread) looks the pool up with
 *          dictionary_get(), which holds the item only for the duration of
 *          the lookup, and then reads the value while the main thread may
 *          flush the dictionary and free the item.
 */
#include <kref.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>

struct zfs_pool_info {
	uint64_t max_capacity;	/* maximum capacity seen for this pool */
	bool pool_mount_seen;	/* the pool itself (not a dataset) is mounted */
};

typedef struct dictionary_item {
	struct kref refcount;		/* the dictionary holds one */
	struct dictionary_item *next;
	char *name;
	struct zfs_pool_info value;
} DICTIONARY_ITEM;

typedef struct dictionary {
	pthread_mutex_t lock;
	DICTIONARY_ITEM *items;
} DICTIONARY;

static DICTIONARY *zfs_pool_info_dict;

/* copies the pool part of @mount_source ("pool/ds" -> "pool") into @buf */
extern const char *extract_zfs_pool_name(const char *mount_source, char *buf,
					 size_t size);

static void dictionary_item_free(struct kref *kref)
{
	DICTIONARY_ITEM *item = container_of(kref, DICTIONARY_ITEM, refcount);

	free(item->name);
	free(item);
}

static DICTIONARY_ITEM *dictionary_find_locked(DICTIONARY *dict,
					       const char *name)
{
	DICTIONARY_ITEM *item;

	for (item = dict->items; item; item = item->next)
		if (strcmp(item->name, name) == 0)
			return item;
	return NULL;
}

/* returns the value; the item is not held once the call returns */
void *dictionary_get(DICTIONARY *dict, const char *name)
{
	DICTIONARY_ITEM *item;
	void *value = NULL;

	pthread_mutex_lock(&dict->lock);
	item = dictionary_find_locked(dict, name);
	if (item)
		value = &item->value;
	pthread_mutex_unlock(&dict->lock);
	return value;
}

/* returns the item with a reference the caller must release */
const DICTIONARY_ITEM *dictionary_get_and_acquire_item(DICTIONARY *dict,
						       const char *name)
{
	DICTIONARY_ITEM *item;

	pthread_mutex_lock(&dict->lock);
	item = dictionary_find_locked(dict, name);
	if (item)
		kref_get(&item->refcount);
	pthread_mutex_unlock(&dict->lock);
	return item;
}

void *dictionary_acquired_item_value(const DICTIONARY_ITEM *item)
{
	return item ? (void *)&item->value : NULL;
}

void dictionary_acquired_item_release(DICTIONARY *dict,
				      const DICTIONARY_ITEM *item)
{
	(void)dict;
	if (item)
		kref_put(&((DICTIONARY_ITEM *)item)->refcount,
			 dictionary_item_free);
}

/* main thread, on every rescan of the mounts */
void dictionary_flush(DICTIONARY *dict)
{
	DICTIONARY_ITEM *item, *next;

	pthread_mutex_lock(&dict->lock);
	item = dict->items;
	dict->items = NULL;
	pthread_mutex_unlock(&dict->lock);

	for (; item; item = next) {
		next = item->next;
		kref_put(&item->refcount, dictionary_item_free);
	}
}

bool should_exclude_zfs(const char *mount_source, struct statvfs *buff)
{
	char pool_name_buf[256];
	const char *pool_name = extract_zfs_pool_name(mount_source,
				pool_name_buf, sizeof(pool_name_buf));
	if (!pool_name || !pool_name[0])
		return false;	/* can't determine pool -> keep */

	struct zfs_pool_info *info = dictionary_get(zfs_pool_info_dict, pool_name); /* expect: rule 3 */
	if (!info)
		return false;	/* unknown pool -> keep */

	/* Pool not mounted -> keep all datasets */
	if (!info->pool_mount_seen)
		return false;

	unsigned long bsize = buff->f_frsize ? buff->f_frsize : buff->f_bsize;
	uint64_t total_bytes = (uint64_t)buff->f_blocks * bsize;

	/* Dataset at least 1 block smaller than pool max -> has quota -> keep */
	if (total_bytes + bsize < info->max_capacity)
		return false;

	/* Dataset capacity within 1 block of pool max -> no quota -> exclude */
	return true;
}
