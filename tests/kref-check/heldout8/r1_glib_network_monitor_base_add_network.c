/* SPDX-License-Identifier: MIT */
/*
 * Source: GLib (GNOME/glib), fix commit
 * 394a72bc1124ed279e51922b9d81bf24e8419020 ("Fix crash caused by
 * g_network_monitor_base_add_network()", fixes #2020),
 * gio/gnetworkmonitorbase.c.  The network mask was added to the monitor's
 * networks table first and its reference for the table taken only after a
 * successful add: when an equal mask was already there, the table dropped
 * the old key's reference and kept the new one without a reference.  The
 * fix passes a reference to the add.  Reconstructed on struct kref
 * (GObject's count in the original); the hash table is reduced to the
 * calls used here.
 */
#include <kref.h>
#include <stdbool.h>
#include <stdlib.h>

typedef struct _GHashTable GHashTable;
typedef void (*GDestroyNotify)(void *data);

typedef struct {
	struct kref ref;
	int family;
	unsigned int length;
	unsigned char addr[16];
} GInetAddressMask;

typedef struct {
	GHashTable *networks;	/* element-type GInetAddressMask, owned */
	bool have_ipv4_default_route;
	bool have_ipv6_default_route;
} GNetworkMonitorBasePrivate;

typedef struct {
	GNetworkMonitorBasePrivate *priv;
} GNetworkMonitorBase;

/* A set keyed by mask value; key_destroy is called on each key it drops. */
extern GHashTable *g_hash_table_new_full(GDestroyNotify key_destroy);
/* Stores key.  If an equal key is already present, the old key is dropped
 * (key_destroy) and replaced by this one, and false is returned. */
extern bool g_hash_table_add(GHashTable *table, void *key);
/* Drops the key equal to this one (key_destroy); false if none. */
extern bool g_hash_table_remove(GHashTable *table, const void *key);
extern void queue_network_changed(GNetworkMonitorBase *monitor);
extern bool mask_is_mc_link_local(const GInetAddressMask *mask);

enum { G_SOCKET_FAMILY_IPV4 = 2, G_SOCKET_FAMILY_IPV6 = 10 };

static void g_inet_address_mask_finalize(struct kref *ref)
{
	free(container_of(ref, GInetAddressMask, ref));
}

static void inet_address_mask_unref(void *data)
{
	GInetAddressMask *mask = data;

	kref_put(&mask->ref, g_inet_address_mask_finalize);
}

GInetAddressMask *g_inet_address_mask_new(int family, const unsigned char *addr,
					  unsigned int length)
{
	GInetAddressMask *mask = calloc(1, sizeof(*mask));
	unsigned int i;

	if (!mask)
		return NULL;
	kref_init(&mask->ref);
	mask->family = family;
	mask->length = length;
	for (i = 0; i < 16; i++)
		mask->addr[i] = addr[i];
	return mask;
}

void g_network_monitor_base_init(GNetworkMonitorBase *monitor)
{
	monitor->priv->networks = g_hash_table_new_full(inet_address_mask_unref);
}

void g_network_monitor_base_add_network(GNetworkMonitorBase *monitor,
					GInetAddressMask *network)
{
	if (!g_hash_table_add(monitor->priv->networks, network)) /* expect: rule 1 */
		return;

	kref_get(&network->ref);	/* for the element now stored in the hash table */

	if (network->length == 0) {
		switch (network->family) {
		case G_SOCKET_FAMILY_IPV4:
			monitor->priv->have_ipv4_default_route = true;
			break;
		case G_SOCKET_FAMILY_IPV6:
			monitor->priv->have_ipv6_default_route = true;
			break;
		default:
			break;
		}
	}

	if (mask_is_mc_link_local(network))
		return;

	queue_network_changed(monitor);
}

void g_network_monitor_base_remove_network(GNetworkMonitorBase *monitor,
					   GInetAddressMask *network)
{
	if (!g_hash_table_remove(monitor->priv->networks, network))
		return;

	if (network->length == 0) {
		if (network->family == G_SOCKET_FAMILY_IPV4)
			monitor->priv->have_ipv4_default_route = false;
		else if (network->family == G_SOCKET_FAMILY_IPV6)
			monitor->priv->have_ipv6_default_route = false;
	}

	queue_network_changed(monitor);
}

/* The netlink monitor, on an RTM_NEWROUTE message. */
void add_network(GNetworkMonitorBase *monitor, int family,
		 const unsigned char *dest, unsigned int dest_len)
{
	GInetAddressMask *network;

	network = g_inet_address_mask_new(family, dest, dest_len);
	if (!network)
		return;

	g_network_monitor_base_add_network(monitor, network);
	inet_address_mask_unref(network);
}
