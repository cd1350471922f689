/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: torvalds/linux commit
 * 06a0716949c22e2aefb648526580671197151acc "ipv6/addrconf: fix a potential
 * refcount underflow for idev", net/ipv6/addrconf.c, addrconf_mod_rs_timer().
 * The reference the timer callback puts was taken through the program's own
 * wrapper (idev_hold) on a racy "not pending" check made before the timer
 * was armed: the pending timer can fire in between, so the new arming runs
 * without a reference.
 */
#include <linux/kref.h>
#include <linux/slab.h>
#include "kernel_shim.h"

struct timer_list { void (*fn)(struct timer_list *t); };
int timer_pending(const struct timer_list *t);
int mod_timer(struct timer_list *t, unsigned long expires);

struct inet6_dev { struct kref refcnt; struct timer_list rs_timer; int probes; };

static void idev_release(struct kref *kref)
{
	kfree(container_of(kref, struct inet6_dev, refcnt));
}

static void idev_hold(struct inet6_dev *idev) { kref_get(&idev->refcnt); }
static void idev_put(struct inet6_dev *idev) { kref_put(&idev->refcnt, idev_release); }

void rs_timer_fn(struct timer_list *t)
{
	struct inet6_dev *idev = container_of(t, struct inet6_dev, rs_timer);

	idev->probes++;
	idev_put(idev);
}

void mod_rs_timer(struct inet6_dev *idev, unsigned long when)
{
	if (!timer_pending(&idev->rs_timer))
		idev_hold(idev);
	mod_timer(&idev->rs_timer, when);	/* expect: rule 1 */
}
