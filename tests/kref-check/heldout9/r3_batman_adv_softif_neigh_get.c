/* SPDX-License-Identifier: MIT */
/*
 * batman-adv (open-mesh-mirror/batman-adv), fix
 * 6ed0940a6817e6634ed5ae5d69ee58306879597b ("Correct rcu refcounting for
 * softif_neigh"; the same patch is also in the history as 49737db4),
 * soft-interface.c: softif_neigh_get() walks bat_priv->softif_neigh_list
 * under rcu_read_lock() and takes a plain kref_get() on the entry it finds,
 * while softif_neigh_purge() unlinks entries and drops their reference from
 * an RCU callback.
 */
#include <string.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include "kernel_shim.h"

#define ETH_ALEN 6

extern unsigned long jiffies;

struct softif_neigh {
	struct list_head list;
	uint8_t addr[ETH_ALEN];
	unsigned long last_seen;
	short vid;
	struct kref refcount;
	struct rcu_head rcu;
};

struct bat_priv {
	struct list_head softif_neigh_list;
	spinlock_t softif_neigh_lock;
	struct softif_neigh *softif_neigh;
};

/* true when the neighbour timed out or the mesh is going down */
bool softif_neigh_expired(struct bat_priv *bat_priv, struct softif_neigh *softif_neigh);

static void softif_neigh_free_ref(struct kref *refcount)
{
	struct softif_neigh *softif_neigh;

	softif_neigh = container_of(refcount, struct softif_neigh, refcount);
	kfree(softif_neigh);
}

static void softif_neigh_free_rcu(struct rcu_head *rcu)
{
	struct softif_neigh *softif_neigh;

	softif_neigh = container_of(rcu, struct softif_neigh, rcu);
	kref_put(&softif_neigh->refcount, softif_neigh_free_ref);
}

void softif_neigh_purge(struct bat_priv *bat_priv)
{
	struct softif_neigh *softif_neigh, *softif_neigh_tmp, *next;

	spin_lock_bh(&bat_priv->softif_neigh_lock);

	for (softif_neigh = list_first_entry(&bat_priv->softif_neigh_list,
					     struct softif_neigh, list);
	     &softif_neigh->list != &bat_priv->softif_neigh_list;
	     softif_neigh = next) {
		next = list_entry(softif_neigh->list.next, struct softif_neigh, list);

		if (!softif_neigh_expired(bat_priv, softif_neigh))
			continue;

		list_del_rcu(&softif_neigh->list);

		if (bat_priv->softif_neigh == softif_neigh) {
			softif_neigh_tmp = bat_priv->softif_neigh;
			bat_priv->softif_neigh = NULL;
			kref_put(&softif_neigh_tmp->refcount,
				 softif_neigh_free_ref);
		}

		call_rcu(&softif_neigh->rcu, softif_neigh_free_rcu);
	}

	spin_unlock_bh(&bat_priv->softif_neigh_lock);
}

static struct softif_neigh *softif_neigh_get(struct bat_priv *bat_priv,
					     uint8_t *addr, short vid)
{
	struct softif_neigh *softif_neigh;

	rcu_read_lock();
	list_for_each_entry_rcu(softif_neigh, &bat_priv->softif_neigh_list, list) {
		if (memcmp(softif_neigh->addr, addr, ETH_ALEN) != 0)
			continue;

		if (softif_neigh->vid != vid)
			continue;

		softif_neigh->last_seen = jiffies;
		goto found;
	}

	softif_neigh = kzalloc(sizeof(struct softif_neigh), GFP_ATOMIC);
	if (!softif_neigh)
		goto out;

	memcpy(softif_neigh->addr, addr, ETH_ALEN);
	softif_neigh->vid = vid;
	softif_neigh->last_seen = jiffies;
	kref_init(&softif_neigh->refcount);

	INIT_LIST_HEAD(&softif_neigh->list);
	spin_lock_bh(&bat_priv->softif_neigh_lock);
	list_add_rcu(&softif_neigh->list, &bat_priv->softif_neigh_list);
	spin_unlock_bh(&bat_priv->softif_neigh_lock);

found:
	kref_get(&softif_neigh->refcount); /* expect: rule 3 */
out:
	rcu_read_unlock();
	return softif_neigh;
}

void softif_batman_recv(struct bat_priv *bat_priv, const uint8_t *own_addr,
			uint8_t *orig, short vid)
{
	struct softif_neigh *softif_neigh, *softif_neigh_tmp;

	softif_neigh = softif_neigh_get(bat_priv, orig, vid);
	if (!softif_neigh)
		return;

	if (bat_priv->softif_neigh == softif_neigh)
		goto out;

	/* we got a neighbor but its mac is 'bigger' than ours  */
	if (memcmp(own_addr, softif_neigh->addr, ETH_ALEN) < 0)
		goto out;

	/* switch to new 'smallest neighbor' */
	if (bat_priv->softif_neigh &&
	    memcmp(softif_neigh->addr, bat_priv->softif_neigh->addr, ETH_ALEN) < 0) {
		softif_neigh_tmp = bat_priv->softif_neigh;
		bat_priv->softif_neigh = softif_neigh;
		kref_put(&softif_neigh_tmp->refcount, softif_neigh_free_ref);
		/* we need to hold the additional reference */
		return;
	}

	/* close own batX device and use softif_neigh as exit node */
	if (!bat_priv->softif_neigh &&
	    memcmp(softif_neigh->addr, own_addr, ETH_ALEN) < 0) {
		bat_priv->softif_neigh = softif_neigh;
		/* we need to hold the additional reference */
		return;
	}

out:
	kref_put(&softif_neigh->refcount, softif_neigh_free_ref);
}
