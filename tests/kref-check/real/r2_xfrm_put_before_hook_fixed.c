/* SPDX-License-Identifier: MIT */
/*
 * Fixed twin of r2_xfrm_put_before_hook.c (own code): torvalds/linux
 * commit 1c428b03840094410c5fb6a5db30640486bbbfcb, net/xfrm/xfrm_input.c.
 * The reference is dropped after the hook, through a saved pointer, since
 * the hook may consume the skb.
 */
#include <linux/kref.h>
#include <linux/slab.h>
#include "kernel_shim.h"

struct net_device { struct kref ref; int ifindex; };
struct sk_buff { struct net_device *dev; int len; };

int nf_hook_prerouting(struct sk_buff *skb, struct net_device *in);

static void netdev_release(struct kref *kref)
{
	kfree(container_of(kref, struct net_device, ref));
}

static void dev_put(struct net_device *dev) { kref_put(&dev->ref, netdev_release); }

static int transport_finish(struct sk_buff *skb, int async)
{
	struct net_device *dev = skb->dev;
	int ret = nf_hook_prerouting(skb, dev);

	if (async)
		dev_put(dev);
	return ret;
}

/* Entered with the reference taken before the async crypto started. */
int xfrm_input_resume(struct sk_buff *skb)
{
	return transport_finish(skb, 1);
}
