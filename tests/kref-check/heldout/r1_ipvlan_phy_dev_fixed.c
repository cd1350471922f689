/* SPDX-License-Identifier: MIT */
/*
 * Fixed twin of r1_ipvlan_phy_dev.c (own code): torvalds/linux commit
 * 40b9d1ab63f5c4f3cb69450044d07b45e5af72e1, drivers/net/ipvlan/ipvlan_main.c.
 * ipvlan_init() takes a reference on the lower device kept in
 * ipvlan->phy_dev (netdev_hold with a tracker), and a new priv_destructor,
 * ipvlan_link_destruct(), drops it.
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

static void netdev_release(struct kref *kref)
{
	kfree(container_of(kref, struct net_device, kref));
}

static void netdev_hold(struct net_device *dev)
{
	if (dev)
		kref_get(&dev->kref);
}

static void netdev_put(struct net_device *dev)
{
	if (dev)
		kref_put(&dev->kref, netdev_release);
}

int ipvlan_init(struct net_device *dev)
{
	struct ipvl_dev *ipvlan = dev->priv;
	struct net_device *phy_dev = ipvlan->phy_dev;
	int err;

	dev->mtu = phy_dev->mtu;
	err = ipvlan_port_create(phy_dev);
	if (err)
		return err;
	netdev_hold(phy_dev);
	return 0;
}

void ipvlan_uninit(struct net_device *dev)
{
	struct ipvl_dev *ipvlan = dev->priv;

	ipvlan_port_destroy(ipvlan->phy_dev);
}

/* dev->priv_destructor */
void ipvlan_link_destruct(struct net_device *dev)
{
	struct ipvl_dev *ipvlan = dev->priv;

	netdev_put(ipvlan->phy_dev);
}

int ipvlan_link_new(struct net_device *dev, int link)
{
	struct ipvl_dev *ipvlan = dev->priv;
	struct net_device *phy_dev;

	phy_dev = __dev_get_by_index(link);
	if (!phy_dev)
		return -ENODEV;
	ipvlan->phy_dev = phy_dev;
	ipvlan->dev = dev;
	return register_netdevice(dev);
}
