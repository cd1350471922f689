/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: torvalds/linux commit
 * 8045c0df98d4f14c54e5cb875f1c9c0ce89fe4ff "xfrm: Fix dev use-after-free
 * in xfrm async resumption" (CVE-2026-72463), net/xfrm/xfrm_input.c.
 * Async decryption holds skb->dev; on resumption a receive callback may
 * point skb->dev at a tunnel device (with no reference), and the final put
 * goes through skb->dev: the tunnel device is put without being owned and
 * the original device leaks.
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
	int err;

	xfrm_rcv_cb(skb);
	err = transport_finish(skb);
	dev_put(skb->dev);	/* expect: rule 2 */
	return err;
}
