/* SPDX-License-Identifier: MIT */
/* Correct: an RCU lookup with kref_get_unless_zero; the release function
 * unlinks under the mutex and frees after a grace period. */
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
		if (n->addr == addr && kref_get_unless_zero(&n->refcount)) {
			ret = n;
			break;
		}
	}
	rcu_read_unlock();
	return ret;
}

int neigh_add(unsigned addr)
{
	struct neigh *n = kzalloc(sizeof(*n), GFP_KERNEL);

	if (!n)
		return -1;
	kref_init(&n->refcount);	/* the list's reference */
	n->addr = addr;
	mutex_lock(&neigh_mutex);
	list_add_rcu(&n->list, &neigh_list);
	mutex_unlock(&neigh_mutex);
	return 0;
}
