/* SPDX-License-Identifier: MIT */
/*
 * Fixed twin of r3_fastrpc_map_get.c (own code): torvalds/linux commit
 * 96b328d119eca7563c1edcc4e1039a62e6370ecb, drivers/misc/fastrpc.c.
 * fastrpc_map_get() only takes a reference while the count is non-zero,
 * and the lookup treats a dying map as absent.
 */
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include "kernel_shim.h"

struct fastrpc_user { spinlock_t lock; struct list_head maps; };
struct fastrpc_map { struct kref refcount; struct list_head node; struct fastrpc_user *fl; int fd; };

static void fastrpc_free_map(struct kref *ref)
{
	struct fastrpc_map *map = container_of(ref, struct fastrpc_map, refcount);

	spin_lock(&map->fl->lock);
	list_del(&map->node);
	spin_unlock(&map->fl->lock);
	kfree(map);
}

static void fastrpc_map_put(struct fastrpc_map *map)
{
	kref_put(&map->refcount, fastrpc_free_map);
}

static int fastrpc_map_get(struct fastrpc_map *map)
{
	return kref_get_unless_zero(&map->refcount) ? 0 : -ENOENT;
}

int fastrpc_map_lookup(struct fastrpc_user *fl, int fd, struct fastrpc_map **ppmap)
{
	struct fastrpc_map *map;
	int ret = -ENOENT;

	spin_lock(&fl->lock);
	list_for_each_entry(map, &fl->maps, node) {
		if (map->fd != fd)
			continue;
		ret = fastrpc_map_get(map);
		if (!ret)
			*ppmap = map;
		break;
	}
	spin_unlock(&fl->lock);
	return ret;
}

void fastrpc_map_done(struct fastrpc_map *map)
{
	fastrpc_map_put(map);
}
