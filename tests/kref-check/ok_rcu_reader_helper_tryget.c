/* SPDX-License-Identifier: MIT */
/* Correct: a small accessor reads the device's active profile with
 * rcu_dereference() and returns it with no reference; the caller, inside
 * its RCU read section, takes one with kref_get_unless_zero() and fails
 * when the count already reached 0. */
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
	if (!kref_get_unless_zero(&pp->kref)) {
		rcu_read_unlock();
		return -1;
	}
	rcu_read_unlock();
	level = pp->level;
	power_profile_put(pp);
	return level;
}
