/* SPDX-License-Identifier: MIT */
/*
 * Project: torvalds/linux
 * Path: net/core/net_namespace.c
 * Fix: 21b5944350052d2583e82dd59b19a9ba94a007f0 ("net: Fix double free and memory corruption in get_net_ns_by_id()")
 * Bug: get_net_ns_by_id() finds a peer namespace in net->netns_ids and
 * takes a plain get_net() on it, but a namespace whose count already hit
 * zero stays in the peers' id tables until the deferred cleanup_net() runs,
 * so the lookup can revive a dying namespace (later freed twice); the fix
 * uses maybe_get_net().
 */
#include <stdbool.h>
#include <linux/kref.h>
#include <linux/spinlock.h>
#include <linux/slab.h>
#include "kernel_shim.h"

struct idr {
	void *top;
};

struct net {
	struct kref count;		/* refcount_t count in the kernel */
	spinlock_t nsid_lock;		/* protects netns_ids */
	struct idr netns_ids;		/* ids of peer namespaces */
};

/* RCU read-side section (liburcu in the compat headers) */
extern void rcu_read_lock(void);
extern void rcu_read_unlock(void);
/* returns a borrowed pointer, or NULL */
extern void *idr_find(const struct idr *idr, unsigned long id);
/* links @net on cleanup_list; cleanup_net() later removes its ids from
 * every peer's netns_ids (under their nsid_lock) and frees it */
extern void net_add_to_cleanup_list(struct net *net);

static struct work_struct net_cleanup_work;

static inline struct net *get_net(struct net *net)
{
	kref_get(&net->count);
	return net;
}

static inline struct net *maybe_get_net(struct net *net)
{
	/* Used when we know struct net exists but we
	 * aren't guaranteed a previous reference count
	 * exists.  If the reference count is zero this
	 * function fails and returns NULL.
	 */
	if (!kref_get_unless_zero(&net->count))
		net = NULL;
	return net;
}

static void __put_net(struct kref *kref)
{
	struct net *net = container_of(kref, struct net, count);

	/* Cleanup the network namespace in process context */
	net_add_to_cleanup_list(net);
	schedule_work(&net_cleanup_work);
}

void put_net(struct net *net)
{
	kref_put(&net->count, __put_net);
}

struct net *get_net_ns_by_id(struct net *net, int id)
{
	struct net *peer;

	if (id < 0)
		return NULL;

	rcu_read_lock();
	spin_lock_bh(&net->nsid_lock);
	peer = idr_find(&net->netns_ids, id);
	if (peer)
		peer = maybe_get_net(peer);
	spin_unlock_bh(&net->nsid_lock);
	rcu_read_unlock();

	return peer;
}
