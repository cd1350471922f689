/* SPDX-License-Identifier: MIT */
/* Rule 3 under RCU: rcu_dereference then kref_get instead of
 * kref_get_unless_zero. */
#include <linux/kref.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>

struct cfg { struct kref kref; struct rcu_head rcu; int v; };
static struct cfg *global_cfg;
static DEFINE_MUTEX(cfg_mutex);

static void cfg_release(struct kref *kref)
{
	struct cfg *c = container_of(kref, struct cfg, kref);
	kfree_rcu(c, rcu);
}

struct cfg *cfg_get(void)
{
	struct cfg *c;
	rcu_read_lock();
	c = rcu_dereference(global_cfg);
	if (c)
		kref_get(&c->kref);	/* expect: rule 3 */
	rcu_read_unlock();
	return c;
}

void cfg_put(struct cfg *c) { kref_put(&c->kref, cfg_release); }
