/* SPDX-License-Identifier: MIT */
/* Rule 3: a small accessor reads the device's active profile with
 * rcu_dereference() and returns it, taking no reference; its name says
 * "get".  The caller, inside its RCU read section, takes a plain
 * kref_get on what it returned.  RCU keeps the memory only: a profile
 * whose count already reached 0 (kfree_rcu queued by the swap) is
 * revived.  Use kref_get_unless_zero() and fail when it does. */
#include <linux/kref.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include "kernel_shim.h"

struct power_profile {
	struct kref kref;
	struct rcu_head rcu;
	int level;
};

struct power_dev {
	spinlock_t lock;
	struct power_profile __rcu *active;
};

static void power_profile_release(struct kref *kref)
{
	struct power_profile *pp = container_of(kref, struct power_profile, kref);

	kfree_rcu(pp, rcu);
}

static void power_profile_put(struct power_profile *pp)
{
	kref_put(&pp->kref, power_profile_release);
}

void power_dev_swap(struct power_dev *dev, struct power_profile *pp)
{
	struct power_profile *old;

	spin_lock(&dev->lock);
	old = dev->active;
	rcu_assign_pointer(dev->active, pp);
	spin_unlock(&dev->lock);
	if (old)
		power_profile_put(old);
}

static struct power_profile *power_dev_get_active(struct power_dev *dev)
{
	struct power_profile *pp;

	pp = rcu_dereference(dev->active);
	return pp;
}

int power_dev_level(struct power_dev *dev)
{
	struct power_profile *pp;
	int level;

	rcu_read_lock();
	pp = power_dev_get_active(dev);
	if (!pp) {
		rcu_read_unlock();
		return -1;
	}
	kref_get(&pp->kref);	/* expect: rule 3 */
	rcu_read_unlock();
	level = pp->level;
	power_profile_put(pp);
	return level;
}
