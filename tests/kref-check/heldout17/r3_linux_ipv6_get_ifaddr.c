/* SPDX-License-Identifier: MIT */
/*
 * Project: torvalds/linux
 * Path:    net/ipv6/addrconf.c, include/net/addrconf.h
 * Fix:     7633c4da919ad51164acbf1aa322cc1a3ead6129
 * Bug:     ipv6_get_ifaddr() walks the RCU address hash and takes its
 *          reference with a plain in6_ifa_hold(), so it can revive an address
 *          that ipv6_del_addr() has just unlinked and dropped to zero.
 */
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <stdbool.h>
#include <string.h>
#include "kernel_shim.h"

#define IFA_HOST	0x10
#define IFA_LINK	0x20

struct in6_addr {
	unsigned char s6_addr[16];
};

struct net_device {
	int ifindex;
};

struct inet6_ifaddr {
	struct in6_addr addr;
	struct net_device *dev;
	int scope;
	struct kref refcnt;
	struct list_head addr_lst;	/* inet6_addr_lst, RCU */
	struct rcu_head rcu;
};

static LIST_HEAD(inet6_addr_lst);
static DEFINE_SPINLOCK(addrconf_hash_lock);

static void inet6_ifa_finish_destroy(struct kref *kref)
{
	struct inet6_ifaddr *ifp = container_of(kref, struct inet6_ifaddr, refcnt);

	kfree_rcu(ifp, rcu);
}

static inline void in6_ifa_put(struct inet6_ifaddr *ifp)
{
	kref_put(&ifp->refcnt, inet6_ifa_finish_destroy);
}

static inline void in6_ifa_hold(struct inet6_ifaddr *ifp)
{
	kref_get(&ifp->refcnt);
}

static bool ipv6_addr_equal(const struct in6_addr *a1, const struct in6_addr *a2)
{
	return memcmp(a1, a2, sizeof(*a1)) == 0;
}

struct inet6_ifaddr *ipv6_get_ifaddr(const struct in6_addr *addr,
				     struct net_device *dev, int strict)
{
	struct inet6_ifaddr *ifp, *result = NULL;

	rcu_read_lock();
	list_for_each_entry_rcu(ifp, &inet6_addr_lst, addr_lst) {
		if (ipv6_addr_equal(&ifp->addr, addr)) {
			if (!dev || ifp->dev == dev ||
			    !(ifp->scope & (IFA_LINK | IFA_HOST) || strict)) {
				result = ifp;
				in6_ifa_hold(ifp); /* expect: rule 3 */
				break;
			}
		}
	}
	rcu_read_unlock();

	return result;
}

/* RTNL held */
void ipv6_del_addr(struct inet6_ifaddr *ifp)
{
	spin_lock_bh(&addrconf_hash_lock);
	list_del_rcu(&ifp->addr_lst);
	spin_unlock_bh(&addrconf_hash_lock);

	/* the hash list's reference */
	in6_ifa_put(ifp);
}
