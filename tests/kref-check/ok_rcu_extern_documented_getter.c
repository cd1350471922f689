/* SPDX-License-Identifier: MIT */
/* Correct: the lookup (another unit's) returns the entry with a reference,
 * as its header says; the caller takes a second one for the timer. */
#include <linux/kref.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include "kernel_shim.h"

struct neigh_table;
struct neigh {
	struct kref refcnt;
	unsigned long confirmed;
	struct rcu_head rcu;
};

/**
 * neigh_lookup_get - find the entry for key
 * Return: the entry with a reference held, or NULL; the caller puts it.
 */
extern struct neigh *neigh_lookup_get(struct neigh_table *tbl, unsigned int key);
/* Arms the timer; the timer owns the reference it is given. */
extern void neigh_arm_timer(struct neigh *n, unsigned long when);

static void neigh_destroy(struct kref *kref)
{
	struct neigh *n = container_of(kref, struct neigh, refcnt);

	kfree_rcu(n, rcu);
}

void neigh_put(struct neigh *n)
{
	kref_put(&n->refcnt, neigh_destroy);
}

void neigh_confirm(struct neigh_table *tbl, unsigned int key, unsigned long when)
{
	struct neigh *n;

	rcu_read_lock();
	n = neigh_lookup_get(tbl, key);
	rcu_read_unlock();
	if (!n)
		return;
	kref_get(&n->refcnt);
	n->confirmed = when;
	neigh_arm_timer(n, when);
	neigh_put(n);
}
