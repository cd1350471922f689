/* SPDX-License-Identifier: MIT */
/* Rule 3: kernel style.  neigh_find_locked() finds an entry in the
 * neighbour table (an RCU-protected hash) and returns it with the entry's
 * own lock held.  The caller leaves its RCU read section and takes a
 * reference for the entry's timer.  neigh_expire() marks the entry dead,
 * unhashes it and drops the table's reference under that same entry lock:
 * a caller that was waiting for the lock gets it afterwards and takes a
 * reference on an entry whose count reached 0 (its kfree_rcu queued).  The
 * entry lock orders the two, but only a check that the entry is still
 * live, made under it, makes the lookup safe. */
#include <linux/kref.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include "kernel_shim.h"

struct neigh_table;

struct neigh {
	struct kref refcnt;
	spinlock_t lock;
	int dead;
	unsigned long confirmed;
	struct rcu_head rcu;
};

/* Returns the entry for key in the hash (no reference); an RCU reader. */
extern struct neigh *neigh_hash_find(struct neigh_table *tbl, unsigned int key);
extern void neigh_hash_del(struct neigh_table *tbl, struct neigh *n);
/* Arms the timer; the timer owns the reference it is given. */
extern void neigh_arm_timer(struct neigh *n, unsigned long when);

static void neigh_destroy(struct kref *kref)
{
	struct neigh *n = container_of(kref, struct neigh, refcnt);

	kfree_rcu(n, rcu);
}

void neigh_expire(struct neigh_table *tbl, struct neigh *n)
{
	spin_lock(&n->lock);
	n->dead = 1;
	neigh_hash_del(tbl, n);
	kref_put(&n->refcnt, neigh_destroy);
	spin_unlock(&n->lock);
}

static struct neigh *neigh_find_locked(struct neigh_table *tbl, unsigned int key)
{
	struct neigh *n = neigh_hash_find(tbl, key);

	if (!n)
		return NULL;
	spin_lock(&n->lock);
	return n;
}

void neigh_confirm(struct neigh_table *tbl, unsigned int key, unsigned long when)
{
	struct neigh *n;

	rcu_read_lock();
	n = neigh_find_locked(tbl, key);
	rcu_read_unlock();
	if (!n)
		return;
	kref_get(&n->refcnt);	/* expect: rule 3 */
	n->confirmed = when;
	neigh_arm_timer(n, when);
	spin_unlock(&n->lock);
}
