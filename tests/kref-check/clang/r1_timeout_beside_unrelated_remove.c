/* SPDX-License-Identifier: MIT */
/* Rule 1: the item is given to a timeout with no reference of its own,
 * and nothing in its release stops the timeout: the release's call to
 * remove the item's name from a cache stops no registration. */
#include <stdlib.h>
#include <kref.h>

typedef int (*timeout_fn)(void *data);

/* Calls fn(data) after ms milliseconds, from the main loop. */
extern unsigned timeout_add(unsigned ms, timeout_fn fn, void *data);
/* Drops a name from the lookup cache. */
extern void namecache_remove(const char *name);

struct item { struct kref ref; char *name; int ticks; };

static void item_release(struct kref *ref)
{
	struct item *i = container_of(ref, struct item, ref);

	namecache_remove(i->name);
	free(i->name);
	free(i);
}

void item_put(struct item *i)
{
	kref_put(&i->ref, item_release);
}

static int item_tick(void *data)
{
	struct item *i = data;

	return ++i->ticks;
}

/* @i: the caller's reference, still the caller's after the call. */
void item_start(struct item *i)
{
	timeout_add(100, item_tick, i);	/* expect: rule 1 */
}
