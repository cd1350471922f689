/* SPDX-License-Identifier: MIT */
/* Correct, kernel style: an RCU walk returning from inside the loop, with
 * kref_get_unless_zero. */
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>

struct flow { struct kref kref; struct list_head link; struct rcu_head rcu; unsigned id; };
static LIST_HEAD(flows);
static DEFINE_MUTEX(flows_mutex);

static void flow_release(struct kref *kref)
{
	struct flow *f = container_of(kref, struct flow, kref);
	mutex_lock(&flows_mutex);
	list_del_rcu(&f->link);
	mutex_unlock(&flows_mutex);
	kfree_rcu(f, rcu);
}

struct flow *flow_lookup(unsigned id)
{
	struct flow *f;
	rcu_read_lock();
	list_for_each_entry_rcu(f, &flows, link) {
		if (f->id == id) {
			if (!kref_get_unless_zero(&f->kref))
				f = NULL;
			rcu_read_unlock();
			return f;
		}
	}
	rcu_read_unlock();
	return NULL;
}

void flow_put(struct flow *f) { kref_put(&f->kref, flow_release); }
