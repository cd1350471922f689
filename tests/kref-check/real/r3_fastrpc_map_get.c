/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: torvalds/linux commit
 * 96b328d119eca7563c1edcc4e1039a62e6370ecb "misc: fastrpc: Fix
 * use-after-free race condition for maps", drivers/misc/fastrpc.c.  The
 * lookup finds the map in the list under fl->lock and takes its reference
 * through the driver's own fastrpc_map_get(), a plain kref_get; but the
 * final put does not take fl->lock: the release function unlinks the map
 * only after the count reached zero, so the lookup can revive a dying map.
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
	kref_put(&map->refcount, fastrpc_free_map);	/* expect: rule 3 (the other half: this final put takes no lock) */
}

static void fastrpc_map_get(struct fastrpc_map *map)
{
	kref_get(&map->refcount);
}

int fastrpc_map_lookup(struct fastrpc_user *fl, int fd, struct fastrpc_map **ppmap)
{
	struct fastrpc_map *map;
	int ret = -ENOENT;

	spin_lock(&fl->lock);
	list_for_each_entry(map, &fl->maps, node) {
		if (map->fd != fd)
			continue;
		fastrpc_map_get(map);	/* expect: rule 3 */
		*ppmap = map;
		ret = 0;
		break;
	}
	spin_unlock(&fl->lock);
	return ret;
}

void fastrpc_map_done(struct fastrpc_map *map)
{
	fastrpc_map_put(map);
}
