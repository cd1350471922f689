/* SPDX-License-Identifier: MIT */
/*
 * Fixed twin of r3_fastrpc_map_find.c (own code): torvalds/linux commit
 * 9446fa1683a7e3937d9970248ced427c1983a1c5, drivers/misc/fastrpc.c.  The
 * find is merged into the lookup: the reference is taken inside the same
 * critical section that found the map.
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

int fastrpc_map_lookup(struct fastrpc_user *fl, int fd, struct fastrpc_map **ppmap,
		       bool take_ref)
{
	struct fastrpc_map *map;
	int ret = -ENOENT;

	mutex_lock(&fl->mutex);
	list_for_each_entry(map, &fl->maps, node) {
		if (map->fd != fd)
			continue;
		if (take_ref)
			kref_get(&map->refcount);
		*ppmap = map;
		ret = 0;
		break;
	}
	mutex_unlock(&fl->mutex);
	return ret;
}
