/* SPDX-License-Identifier: MIT */
/* Rule 3: kernel style.  inode_cache_get() first looks in the small hot
 * table and takes a reference with kref_get_unless_zero() under its lock;
 * on a miss it looks in the main tree under the cache lock and returns
 * what it found with no reference, after dropping that lock.  The caller
 * puts what it gets, as the first path hands it a reference; and
 * icache_evict() takes entries out of the tree under the cache lock and
 * puts them, so the lock was all that kept this one alive.  Take a
 * reference under the lock. */
#include <linux/kref.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include "kernel_shim.h"

struct icache_ent {
	struct kref kref;
	unsigned long ino;
};

struct icache {
	spinlock_t hot_lock;
	struct hot_table *hot;
	spinlock_t lock;
	struct ent_tree *tree;
};

/* Return the entry for ino, or NULL; the table (tree) keeps its reference. */
extern struct icache_ent *hot_table_find(struct hot_table *t, unsigned long ino);
extern struct icache_ent *ent_tree_find(struct ent_tree *t, unsigned long ino);
extern void ent_tree_erase(struct ent_tree *t, struct icache_ent *e);

static void icache_ent_free(struct kref *kref)
{
	kfree(container_of(kref, struct icache_ent, kref));
}

void icache_ent_put(struct icache_ent *e)
{
	kref_put(&e->kref, icache_ent_free);
}

void icache_evict(struct icache *c, struct icache_ent *e)
{
	spin_lock(&c->lock);
	ent_tree_erase(c->tree, e);
	icache_ent_put(e);
	spin_unlock(&c->lock);
}

struct icache_ent *inode_cache_get(struct icache *c, unsigned long ino)
{
	struct icache_ent *e;

	spin_lock(&c->hot_lock);
	e = hot_table_find(c->hot, ino);
	if (e && kref_get_unless_zero(&e->kref)) {
		spin_unlock(&c->hot_lock);
		return e;
	}
	spin_unlock(&c->hot_lock);

	spin_lock(&c->lock);
	e = ent_tree_find(c->tree, ino);
	spin_unlock(&c->lock);
	return e;	/* expect: rule 3 */
}
