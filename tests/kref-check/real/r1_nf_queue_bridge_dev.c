/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: torvalds/linux commit
 * e196115ec330a18de415bdb9f5071aa9f08e53ce "netfilter: nf_queue: hold
 * bridge skb->dev while queued", net/netfilter/nf_queue.c.  A packet
 * queued to userspace keeps skb->dev (for bridge LOCAL_IN, the bridge
 * master), but the queue entry held references only on the hook's in/out
 * devices: the packet sat in the queue pointing at a device that could be
 * freed before the verdict reinjected it.
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
	entry->in = in;
	entry->out = out;
	dev_hold(entry->in);
	dev_hold(entry->out);
	err = nfqnl_enqueue_packet(entry);	/* expect: rule 1 */
	if (err) {
		nf_queue_entry_release_refs(entry);
		kfree(entry);
	}
	return err;
}
