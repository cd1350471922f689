/* SPDX-License-Identifier: MIT */
/*
 * batman-adv (open-mesh-mirror/batman-adv), fixed by commit
 * 2d1d52a424c00d890e109832d8093be0b7b583b3 ("batman-adv: Correct rcu
 * refcounting for gw_node"), gateway_client.c.
 * gw_election() walks the gateway list under rcu_read_lock() and
 * gw_select() takes the new current gateway with a plain kref_get(),
 * while the list's reference is dropped from an RCU callback and the
 * current gateway's reference by gw_deselect().
 */
#include <stdbool.h>
#include <stdint.h>
#include <linux/kref.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/list.h>
#include <linux/rcupdate.h>
#include "kernel_shim.h"

#define GW_MODE_CLIENT		2
#define MESH_ACTIVE		1
#define PURGE_TIMEOUT		200
#define HZ			100
#define time_before(a, b)	((long)((a) - (b)) < 0)
extern unsigned long jiffies;

struct neigh_node {
	uint8_t tq_avg;
};

struct orig_node {
	uint8_t orig[6];
	uint8_t gw_flags;
	struct neigh_node *router;
};

struct gw_node {
	struct list_head list;
	struct orig_node *orig_node;
	unsigned long deleted;
	struct kref refcount;
	struct rcu_head rcu;
};

struct bat_priv {
	int gw_mode;
	int gw_sel_class;
	int mesh_state;
	struct list_head gw_list;
	spinlock_t gw_list_lock;
	struct gw_node *curr_gw;
};

/* Decodes the advertised gateway class into down/up bandwidth. */
extern void gw_bandwidth_to_kbit(uint8_t gw_class, int *down, int *up);

static void gw_node_free_rcu(struct rcu_head *rcu)
{
	struct gw_node *gw_node;

	gw_node = container_of(rcu, struct gw_node, rcu);
	kfree(gw_node);
}

static void gw_node_release(struct kref *refcount)
{
	struct gw_node *gw_node;

	gw_node = container_of(refcount, struct gw_node, refcount);
	call_rcu(&gw_node->rcu, gw_node_free_rcu);
}

static void gw_node_free_ref(struct gw_node *gw_node)
{
	kref_put(&gw_node->refcount, gw_node_release);
}

void gw_deselect(struct bat_priv *bat_priv)
{
	struct gw_node *gw_node = bat_priv->curr_gw;

	bat_priv->curr_gw = NULL;

	if (gw_node)
		gw_node_free_ref(gw_node);
}

static void gw_select(struct bat_priv *bat_priv, struct gw_node *new_gw_node)
{
	struct gw_node *curr_gw_node = bat_priv->curr_gw;

	if (new_gw_node && !kref_get_unless_zero(&new_gw_node->refcount))
		new_gw_node = NULL;

	bat_priv->curr_gw = new_gw_node;

	if (curr_gw_node)
		gw_node_free_ref(curr_gw_node);
}

void gw_election(struct bat_priv *bat_priv)
{
	struct gw_node *gw_node, *curr_gw_tmp = NULL;
	uint8_t max_tq = 0;
	uint32_t max_gw_factor = 0, tmp_gw_factor = 0;
	int down, up;

	if (bat_priv->gw_mode != GW_MODE_CLIENT)
		return;
	if (bat_priv->curr_gw)
		return;

	rcu_read_lock();
	if (list_empty(&bat_priv->gw_list)) {
		rcu_read_unlock();
		if (bat_priv->curr_gw)
			gw_deselect(bat_priv);
		return;
	}

	list_for_each_entry_rcu(gw_node, &bat_priv->gw_list, list) {
		if (!gw_node->orig_node->router)
			continue;
		if (gw_node->deleted)
			continue;

		switch (bat_priv->gw_sel_class) {
		case 1: /* fast connection */
			gw_bandwidth_to_kbit(gw_node->orig_node->gw_flags,
					     &down, &up);

			tmp_gw_factor = (gw_node->orig_node->router->tq_avg *
					 gw_node->orig_node->router->tq_avg *
					 down * 100 * 100) / (64 * 64 * 64);
			if ((tmp_gw_factor > max_gw_factor) ||
			    ((tmp_gw_factor == max_gw_factor) &&
			     (gw_node->orig_node->router->tq_avg > max_tq)))
				curr_gw_tmp = gw_node;
			break;

		default: /* stable connection: best statistic */
			if (gw_node->orig_node->router->tq_avg > max_tq)
				curr_gw_tmp = gw_node;
			break;
		}

		if (gw_node->orig_node->router->tq_avg > max_tq)
			max_tq = gw_node->orig_node->router->tq_avg;
		if (tmp_gw_factor > max_gw_factor)
			max_gw_factor = tmp_gw_factor;
	}

	if (bat_priv->curr_gw != curr_gw_tmp)
		gw_select(bat_priv, curr_gw_tmp);

	rcu_read_unlock();
}

void gw_node_add(struct bat_priv *bat_priv, struct orig_node *orig_node)
{
	struct gw_node *gw_node;

	gw_node = kzalloc(sizeof(struct gw_node), GFP_ATOMIC);
	if (!gw_node)
		return;

	INIT_LIST_HEAD(&gw_node->list);
	gw_node->orig_node = orig_node;
	kref_init(&gw_node->refcount);

	spin_lock_bh(&bat_priv->gw_list_lock);
	list_add_rcu(&gw_node->list, &bat_priv->gw_list);
	spin_unlock_bh(&bat_priv->gw_list_lock);
}

void gw_node_purge(struct bat_priv *bat_priv)
{
	struct gw_node *gw_node, *gw_node_tmp;
	unsigned long timeout = 2 * PURGE_TIMEOUT * HZ;

	spin_lock_bh(&bat_priv->gw_list_lock);

	gw_node = list_entry(bat_priv->gw_list.next, struct gw_node, list);
	for (; &gw_node->list != &bat_priv->gw_list; gw_node = gw_node_tmp) {
		gw_node_tmp = list_entry(gw_node->list.next, struct gw_node, list);

		if (((!gw_node->deleted) ||
		     (time_before(jiffies, gw_node->deleted + timeout))) &&
		    bat_priv->mesh_state == MESH_ACTIVE)
			continue;

		if (bat_priv->curr_gw == gw_node)
			gw_deselect(bat_priv);

		list_del_rcu(&gw_node->list);
		gw_node_free_ref(gw_node);
	}

	spin_unlock_bh(&bat_priv->gw_list_lock);
}
