/* SPDX-License-Identifier: MIT */
/*
 * Fixed twin of r2_xfrm_async_put_other_dev.c (own code): torvalds/linux
 * commit 8045c0df98d4f14c54e5cb875f1c9c0ce89fe4ff, net/xfrm/xfrm_input.c.
 * The device that was held is stashed before the callback can change
 * skb->dev, and that one is put.
 */
#include <linux/kref.h>
#include <linux/slab.h>
#include "kernel_shim.h"

struct net_device { struct kref ref; int ifindex; };
struct sk_buff { struct net_device *dev; int len; };

int xfrm_rcv_cb(struct sk_buff *skb);		/* may set skb->dev to a tunnel dev */
int transport_finish(struct sk_buff *skb);

static void netdev_release(struct kref *kref)
{
	kfree(container_of(kref, struct net_device, ref));
}

static void dev_hold(struct net_device *dev) { kref_get(&dev->ref); }
static void dev_put(struct net_device *dev) { kref_put(&dev->ref, netdev_release); }

int xfrm_input_async_start(struct sk_buff *skb)
{
	dev_hold(skb->dev);
	return -EINPROGRESS;		/* completes in xfrm_input_resume() */
}

int xfrm_input_resume(struct sk_buff *skb)
{
	struct net_device *held = skb->dev;
	int err;

	xfrm_rcv_cb(skb);
	err = transport_finish(skb);
	dev_put(held);
	return err;
}
