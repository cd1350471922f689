/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: torvalds/linux commit
 * 1c428b03840094410c5fb6a5db30640486bbbfcb "xfrm: hold dev ref until after
 * transport_finish NF_HOOK", net/xfrm/xfrm_input.c, net/ipv4/xfrm4_input.c.
 * On async resumption the device reference was dropped on entry, and
 * skb->dev was then used by the netfilter hook and its okfn: the put came
 * before the last use.
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

static int transport_finish(struct sk_buff *skb)
{
	return nf_hook_prerouting(skb, skb->dev);
}

/* Entered with the reference taken before the async crypto started. */
int xfrm_input_resume(struct sk_buff *skb)
{
	dev_put(skb->dev);	/* expect: rule 2 */
	return transport_finish(skb);
}
