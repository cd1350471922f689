/* SPDX-License-Identifier: MIT */
/*
 * Fixed twin of r1_vlan_real_dev.c (own code): "net: vlan: fix underflow
 * for the real_dev refcnt" (CVE-2021-47555; torvalds/linux commit
 * 01d9cc2dea3fde3bad6d27f464eff463496e2b00).  The hold is taken where the
 * copy is stored, so the put in vlan_dev_free() always has one.
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
	kref_get(&real_dev->ref);
	vlan->real_dev = real_dev;
	vlan->id = id;
	err = register_netdevice(vlan);
	if (err) {
		vlan_dev_free(vlan);
		return err;
	}
	return 0;
}
