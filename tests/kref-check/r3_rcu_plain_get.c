/* SPDX-License-Identifier: MIT */
/* Rule 3 under RCU: the walk is protected by rcu_read_lock, but kref_get
 * on an entry whose count already reached 0 resurrects a dying object;
 * it must be kref_get_unless_zero. */
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>

struct neigh {
	struct kref refcount;
	struct list_head list;
	struct rcu_head rcu;
	unsigned addr;
};

static LIST_HEAD(neigh_list);
static DEFINE_MUTEX(neigh_mutex);

static void neigh_release(struct kref *ref)
{
	struct neigh *n = container_of(ref, struct neigh, refcount);

	mutex_lock(&neigh_mutex);
	list_del_rcu(&n->list);
	mutex_unlock(&neigh_mutex);
	kfree_rcu(n, rcu);
}

void neigh_put(struct neigh *n)
{
	kref_put(&n->refcount, neigh_release);
}

struct neigh *neigh_lookup(unsigned addr)
{
	struct neigh *n, *ret = NULL;

	rcu_read_lock();
	list_for_each_entry_rcu(n, &neigh_list, list) {
		if (n->addr == addr) {
			kref_get(&n->refcount);	/* expect: rule 3 */
			ret = n;
			break;
		}
	}
	rcu_read_unlock();
	return ret;
}
