/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: torvalds/linux commit
 * 9446fa1683a7e3937d9970248ced427c1983a1c5 "misc: fastrpc: Fix
 * use-after-free and race in fastrpc_map_find", drivers/misc/fastrpc.c.
 * The lookup walked the maps list under fl->mutex and returned the map
 * with no reference; its caller fastrpc_map_find() took the reference
 * only after the mutex was dropped, racing the map's final put.
 */
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include "kernel_shim.h"

struct fastrpc_user { struct mutex mutex; struct list_head maps; };
struct fastrpc_map { struct kref refcount; struct list_head node; struct fastrpc_user *fl; int fd; };

static void fastrpc_free_map(struct kref *ref)
{
	struct fastrpc_map *map = container_of(ref, struct fastrpc_map, refcount);

	list_del(&map->node);
	mutex_unlock(&map->fl->mutex);
	kfree(map);
}

void fastrpc_map_put(struct fastrpc_map *map)
{
	kref_put_mutex(&map->refcount, fastrpc_free_map, &map->fl->mutex);
}

static int fastrpc_map_lookup(struct fastrpc_user *fl, int fd, struct fastrpc_map **ppmap)
{
	struct fastrpc_map *map;

	mutex_lock(&fl->mutex);
	list_for_each_entry(map, &fl->maps, node) {
		if (map->fd == fd) {
			*ppmap = map;
			mutex_unlock(&fl->mutex);
			return 0;
		}
	}
	mutex_unlock(&fl->mutex);
	return -ENOENT;
}

int fastrpc_map_find(struct fastrpc_user *fl, int fd, struct fastrpc_map **ppmap)
{
	int ret = fastrpc_map_lookup(fl, fd, ppmap);

	if (!ret)
		kref_get(&(*ppmap)->refcount);	/* expect: rule 3 */
	return ret;
}
