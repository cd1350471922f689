/* SPDX-License-Identifier: MIT */
/*
 * Fixed twin of r1_afpacket_bind_dev.c (own code): torvalds/linux commit
 * 160ff18a07f3a505d452dcced8e45ecdd0a85506, net/packet/af_packet.c.  The
 * reference dev_get_by_index() returned is handed to the protocol hook:
 * the bind puts the device the hook held before, and the release puts the
 * hook's device.
 */
#include <linux/kref.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include "kernel_shim.h"

struct net_device { struct kref kref; int ifindex; };
struct packet_type { unsigned short type; struct net_device *dev; };
struct packet_sock { spinlock_t bind_lock; struct packet_type prot_hook; int ifindex; unsigned short num; int running; };

struct net_device *dev_get_by_index(int ifindex);	/* returns a held device */
void dev_add_pack(struct packet_type *pt);
void dev_remove_pack(struct packet_type *pt);

static void netdev_release(struct kref *kref)
{
	kfree(container_of(kref, struct net_device, kref));
}

void dev_put(struct net_device *dev)
{
	if (dev)
		kref_put(&dev->kref, netdev_release);
}

/* Consumes the caller's reference on @dev. */
static int packet_do_bind(struct packet_sock *po, struct net_device *dev, unsigned short protocol)
{
	spin_lock(&po->bind_lock);
	if (po->running) {
		po->running = 0;
		dev_remove_pack(&po->prot_hook);
	}
	po->num = protocol;
	po->prot_hook.type = protocol;
	if (po->prot_hook.dev)
		dev_put(po->prot_hook.dev);
	po->prot_hook.dev = dev;
	po->ifindex = dev ? dev->ifindex : 0;
	if (protocol) {
		dev_add_pack(&po->prot_hook);
		po->running = 1;
	}
	spin_unlock(&po->bind_lock);
	return 0;
}

int packet_bind(struct packet_sock *po, int ifindex, unsigned short protocol)
{
	struct net_device *dev = NULL;

	if (ifindex) {
		dev = dev_get_by_index(ifindex);
		if (!dev)
			return -ENODEV;
	}
	return packet_do_bind(po, dev, protocol ? protocol : po->num);
}

void packet_release(struct packet_sock *po)
{
	spin_lock(&po->bind_lock);
	if (po->running) {
		po->running = 0;
		dev_remove_pack(&po->prot_hook);
	}
	if (po->prot_hook.dev) {
		dev_put(po->prot_hook.dev);
		po->prot_hook.dev = NULL;
	}
	spin_unlock(&po->bind_lock);
}
