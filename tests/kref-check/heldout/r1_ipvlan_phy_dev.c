/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: torvalds/linux commit
 * 40b9d1ab63f5c4f3cb69450044d07b45e5af72e1 "ipvlan: hold lower dev to avoid
 * possible use-after-free", drivers/net/ipvlan/ipvlan_main.c,
 * ipvlan_link_new() and ipvlan_init().  The lower device,
 * found without a reference under RTNL, is kept for the life of the ipvlan
 * device in ipvlan->phy_dev with no reference on it, so it can be
 * unregistered and freed under the ipvlan device.
 */
#include <linux/kref.h>
#include <linux/slab.h>
#include "kernel_shim.h"

struct net_device { struct kref kref; int ifindex; unsigned int mtu; void *priv; };
struct ipvl_dev { struct net_device *dev; struct net_device *phy_dev; };

/* Under RTNL: returns the device without taking a reference. */
struct net_device *__dev_get_by_index(int ifindex);
int register_netdevice(struct net_device *dev);
int ipvlan_port_create(struct net_device *phy_dev);
void ipvlan_port_destroy(struct net_device *phy_dev);

int ipvlan_init(struct net_device *dev)
{
	struct ipvl_dev *ipvlan = dev->priv;
	struct net_device *phy_dev = ipvlan->phy_dev;

	dev->mtu = phy_dev->mtu;
	return ipvlan_port_create(phy_dev);
}

void ipvlan_uninit(struct net_device *dev)
{
	struct ipvl_dev *ipvlan = dev->priv;

	ipvlan_port_destroy(ipvlan->phy_dev);
}

int ipvlan_link_new(struct net_device *dev, int link)
{
	struct ipvl_dev *ipvlan = dev->priv;
	struct net_device *phy_dev;

	phy_dev = __dev_get_by_index(link);
	if (!phy_dev)
		return -ENODEV;
	ipvlan->phy_dev = phy_dev;	/* expect: rule 1 */
	ipvlan->dev = dev;
	return register_netdevice(dev);
}
