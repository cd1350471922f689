/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: "net: vlan: fix underflow for
 * the real_dev refcnt" (CVE-2021-47555; torvalds/linux commit
 * 01d9cc2dea3fde3bad6d27f464eff463496e2b00), net/8021q/vlan.c and
 * vlan_dev.c.  The vlan device keeps a long-lived copy of its lower
 * device in a field; the hold was taken late in register_vlan_dev(), so a
 * failure before it still reached vlan_dev_free(), which puts a reference
 * the field never owned.
 */
#include <linux/kref.h>
#include <linux/slab.h>
#include "kernel_shim.h"

struct net_device { struct kref ref; int up; };
struct vlan_dev { struct net_device *real_dev; int id; };

int register_netdevice(struct vlan_dev *vlan);

static void netdev_release(struct kref *kref)
{
	kfree(container_of(kref, struct net_device, ref));
}

static void vlan_dev_free(struct vlan_dev *vlan)
{
	kref_put(&vlan->real_dev->ref, netdev_release);
	kfree(vlan);
}

int register_vlan_dev(struct net_device *real_dev, int id)
{
	struct vlan_dev *vlan = kzalloc(sizeof(*vlan), GFP_KERNEL);
	int err;

	if (!vlan)
		return -ENOMEM;
	vlan->real_dev = real_dev;	/* expect: rule 1 */
	vlan->id = id;
	err = register_netdevice(vlan);
	if (err) {
		vlan_dev_free(vlan);
		return err;
	}
	kref_get(&real_dev->ref);
	return 0;
}
