/* SPDX-License-Identifier: MIT */
/*
 * Fixed twin of r1_nf_queue_bridge_dev.c (own code): torvalds/linux commit
 * e196115ec330a18de415bdb9f5071aa9f08e53ce, net/netfilter/nf_queue.c.  The
 * entry stores skb->dev and holds a reference on it for the queue's
 * lifetime, released with the others.
 */
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/slab.h>
#include "kernel_shim.h"

struct net_device { struct kref ref; int ifindex; };
struct sk_buff { struct net_device *dev; int len; };
struct nf_queue_entry {
	struct list_head list;
	struct sk_buff *skb;
	struct net_device *skb_dev;
	struct net_device *in, *out;
};

int nfqnl_enqueue_packet(struct nf_queue_entry *entry);	/* hands it to userspace */

static void netdev_release(struct kref *kref)
{
	kfree(container_of(kref, struct net_device, ref));
}

static void dev_hold(struct net_device *dev) { if (dev) kref_get(&dev->ref); }
static void dev_put(struct net_device *dev) { if (dev) kref_put(&dev->ref, netdev_release); }

void nf_queue_entry_release_refs(struct nf_queue_entry *entry)
{
	dev_put(entry->skb_dev);
	dev_put(entry->in);
	dev_put(entry->out);
}

int __nf_queue(struct sk_buff *skb, struct net_device *in, struct net_device *out)
{
	struct nf_queue_entry *entry = kzalloc(sizeof(*entry), GFP_KERNEL);
	int err;

	if (!entry)
		return -ENOMEM;
	entry->skb = skb;
	entry->skb_dev = skb->dev;
	entry->in = in;
	entry->out = out;
	dev_hold(entry->skb_dev);
	dev_hold(entry->in);
	dev_hold(entry->out);
	err = nfqnl_enqueue_packet(entry);
	if (err) {
		nf_queue_entry_release_refs(entry);
		kfree(entry);
	}
	return err;
}
