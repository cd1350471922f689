/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: torvalds/linux commit
 * 6fdd2676db55b503c52dd3f1359b5c57f774ab75 "perf maps: Fix reference count
 * leak in maps__find_ams()", tools/perf/util/maps.c, maps__find_ams().
 * Since maps__find() returns a reference (42fd623b58db), overwriting
 * ams->ms.map with its result drops the reference the addr_map_symbol
 * held on the old map: a leak each time the address falls outside the
 * current map.  The fix puts the old map first.  perf's refcount_t in
 * struct map written with struct kref.
 */
#include <stdlib.h>
#include <stdint.h>
#include <kref.h>

struct map { struct kref refcnt; uint64_t start, end; };
struct maps;
struct symbol;
struct map_symbol { struct maps *maps; struct map *map; struct symbol *sym; };
struct addr_map_symbol { struct map_symbol ms; uint64_t addr, al_addr; };

/* Returns a new reference on the map holding addr, or NULL. */
extern struct map *maps__find(struct maps *maps, uint64_t addr);
/* Returns the symbol at addr in map (borrowed), or NULL. */
extern struct symbol *map__find_symbol(struct map *map, uint64_t addr);
extern uint64_t map__map_ip(struct map *map, uint64_t addr);

static void map__delete(struct kref *ref)
{
	free(container_of(ref, struct map, refcnt));
}

static void map__put(struct map *map)
{
	if (map)
		kref_put(&map->refcnt, map__delete);
}

int maps__find_ams(struct maps *maps, struct addr_map_symbol *ams)
{
	if (ams->addr < ams->ms.map->start || ams->addr >= ams->ms.map->end) {
		if (maps == NULL)
			return -1;
		map__put(ams->ms.map);
		ams->ms.map = maps__find(maps, ams->addr);
		if (ams->ms.map == NULL)
			return -1;
	}

	ams->al_addr = map__map_ip(ams->ms.map, ams->addr);
	ams->ms.sym = map__find_symbol(ams->ms.map, ams->al_addr);

	return ams->ms.sym ? 0 : -1;
}
