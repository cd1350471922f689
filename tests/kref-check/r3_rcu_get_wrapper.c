/* SPDX-License-Identifier: MIT */
/* Rule 3, kernel style: a plain get through an inline wrapper under RCU;
 * the try wrapper is correct. */
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>

struct peer { struct kref kref; struct list_head node; struct rcu_head rcu; int addr; };
static LIST_HEAD(peers);
static DEFINE_MUTEX(peers_lock);

static void peer_release(struct kref *kref)
{
	struct peer *p = container_of(kref, struct peer, kref);
	mutex_lock(&peers_lock);
	list_del_rcu(&p->node);
	mutex_unlock(&peers_lock);
	kfree_rcu(p, rcu);
}

static inline void peer_hold(struct peer *p) { kref_get(&p->kref); }
static inline int peer_tryhold(struct peer *p) { return kref_get_unless_zero(&p->kref); }

/* Violation: a plain get through a wrapper under RCU. */
struct peer *peer_find(int addr)
{
	struct peer *p;
	rcu_read_lock();
	list_for_each_entry_rcu(p, &peers, node) {
		if (p->addr == addr) {
			peer_hold(p);	/* expect: rule 3 */
			rcu_read_unlock();
			return p;
		}
	}
	rcu_read_unlock();
	return NULL;
}

/* Correct: the try wrapper. */
struct peer *peer_find_ok(int addr)
{
	struct peer *p;
	rcu_read_lock();
	list_for_each_entry_rcu(p, &peers, node) {
		if (p->addr == addr && peer_tryhold(p)) {
			rcu_read_unlock();
			return p;
		}
	}
	rcu_read_unlock();
	return NULL;
}
