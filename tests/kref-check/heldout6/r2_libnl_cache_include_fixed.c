/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: thom311/libnl commit
 * 6bd2bd65015302e6d59e02d1dd35ee5126d633e1 "cache: cache_include(): fix
 * double put for cloned objects" (PR #416; introduced by 831e98688a2f,
 * "cache: use the new _nl_auto_nl_object helper"), lib/cache.c.  When
 * cache_include() switched its locals `old` and `clone` to the
 * _nl_auto_nl_object cleanup attribute, an explicit nl_object_put(clone)
 * after the v2 change callback was left in place: the clone is put there
 * and again by the cleanup on return, a double put (use after free, or the
 * assert on a negative count).  The fix removes the explicit put.
 * nl_object's ce_refcnt is written with a kref.
 */
#include <stdlib.h>
#include <stdint.h>
#include <kref.h>

struct nl_object { struct kref ce_refcnt; int has_update; };
struct nl_cache;
enum { NL_ACT_NEW = 1, NL_ACT_DEL = 2, NL_ACT_CHANGE = 5 };

typedef void (*change_func_t)(struct nl_cache *, struct nl_object *, int, void *);
typedef void (*change_func_v2_t)(struct nl_cache *, struct nl_object *old_obj,
				 struct nl_object *new_obj, uint64_t, int, void *);

/* The cached object equal to obj, with a reference for the caller, or NULL. */
extern struct nl_object *nl_cache_search(struct nl_cache *cache, struct nl_object *obj);
/* A new copy of obj (count 1), or NULL. */
extern struct nl_object *nl_object_clone(struct nl_object *obj);
/* Bitmask of the attributes that differ. */
extern uint64_t nl_object_diff64(struct nl_object *a, struct nl_object *b);
/* Merges obj into old in place; 0 when the type supports it. */
extern int nl_object_update(struct nl_object *old, struct nl_object *obj);
/* Unlinks old from its cache, dropping the cache's reference. */
extern void nl_cache_remove(struct nl_object *old);
/* Links obj into the cache with a reference of the cache's own. */
extern void nl_cache_move(struct nl_cache *cache, struct nl_object *obj);

static void nl_object_free(struct kref *ref)
{
	free(container_of(ref, struct nl_object, ce_refcnt));
}

void nl_object_put(struct nl_object *obj)
{
	if (obj)
		kref_put(&obj->ce_refcnt, nl_object_free);
}

static inline void _nl_auto_nl_object_fcn(struct nl_object **p)
{
	nl_object_put(*p);
}
#define _nl_auto_nl_object __attribute__((cleanup(_nl_auto_nl_object_fcn)))

int cache_include(struct nl_cache *cache, struct nl_object *obj, int mt_act,
		  change_func_t cb, change_func_v2_t cb_v2, void *data)
{
	_nl_auto_nl_object struct nl_object *old = NULL;
	_nl_auto_nl_object struct nl_object *clone = NULL;
	uint64_t diff = 0;

	switch (mt_act) {
	case NL_ACT_NEW:
	case NL_ACT_DEL:
		old = nl_cache_search(cache, obj);
		if (old) {
			if (cb_v2 && old->has_update) {
				clone = nl_object_clone(old);
				diff = nl_object_diff64(old, obj);
			}
			if (nl_object_update(old, obj) == 0) {
				if (cb_v2) {
					cb_v2(cache, clone, old, diff, NL_ACT_CHANGE, data);
				} else if (cb)
					cb(cache, old, NL_ACT_CHANGE, data);
				return 0;
			}
			nl_cache_remove(old);
			if (mt_act == NL_ACT_DEL && cb)
				cb(cache, old, NL_ACT_DEL, data);
		}
		if (mt_act == NL_ACT_NEW) {
			nl_cache_move(cache, obj);
			if (old == NULL && cb)
				cb(cache, obj, NL_ACT_NEW, data);
		}
		break;
	default:
		return 0;
	}
	return 0;
}
