/* SPDX-License-Identifier: MIT */
/*
 * Project: FRRouting/frr
 * Path:    bgpd/bgp_route.c
 * Fix:     70d9b134f69801933e55102901c620ee989e7345
 * Bug:     when "no network X label-index N" names a label index that does
 *          not match the configured static route, bgp_static_set() returns
 *          an error while still holding the lock (reference) that
 *          bgp_node_lookup() took on the route node, so the node leaks.
 */
#include <kref.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define AFI_MAX			4
#define SAFI_MAX		8
#define BGP_INVALID_LABEL_INDEX	0xffffffffu

typedef int afi_t;
typedef int safi_t;

struct prefix;
struct bgp_table;

struct bgp_static {
	int backdoor;
	int valid;
	uint32_t label_index;
};

/* A route node: FRR's route_node lock count is the kref. */
struct bgp_dest {
	struct kref lock;
	struct bgp_static *info;
};

struct bgp {
	struct bgp_table *route[AFI_MAX][SAFI_MAX];
};

/* Finds the node for p; returns it with a new lock, or NULL. */
extern struct bgp_dest *bgp_node_lookup(struct bgp_table *table,
					const struct prefix *p);
/* Finds or creates the node for p; returns it with a new lock. */
extern struct bgp_dest *bgp_node_get(struct bgp_table *table,
				     const struct prefix *p);
/* Unlinks the node from its table and frees it (route_node_delete). */
extern void route_node_delete(struct bgp_dest *dest);
/* Withdraws the static route from the BGP RIB. */
extern void bgp_static_withdraw(struct bgp *bgp, const struct prefix *p,
				afi_t afi, safi_t safi);
/* Announces the static route into the BGP RIB. */
extern void bgp_static_update(struct bgp *bgp, const struct prefix *p,
			      struct bgp_static *bgp_static, afi_t afi,
			      safi_t safi);

static void bgp_dest_release(struct kref *kref)
{
	route_node_delete(container_of(kref, struct bgp_dest, lock));
}

static void bgp_dest_unlock_node(struct bgp_dest *dest)
{
	kref_put(&dest->lock, bgp_dest_release);
}

/* Allocates a zeroed bgp_static (XCALLOC: aborts on failure). */
extern struct bgp_static *bgp_static_new(void);
/* Frees a bgp_static and its route-map name. */
extern void bgp_static_free(struct bgp_static *bgp_static);

int bgp_static_set(struct bgp *bgp, const char *negate,
		   const struct prefix *p, afi_t afi, safi_t safi,
		   int backdoor, uint32_t label_index, char *errmsg,
		   size_t errmsg_len)
{
	struct bgp_static *bgp_static;
	struct bgp_dest *dest;

	if (negate) {
		dest = bgp_node_lookup(bgp->route[afi][safi], p);
		if (!dest) {
			snprintf(errmsg, errmsg_len,
				 "Can't find static route specified\n");
			return -1;
		}

		bgp_static = dest->info;

		if (label_index != BGP_INVALID_LABEL_INDEX &&
		    label_index != bgp_static->label_index) {
			snprintf(errmsg, errmsg_len,
				 "label-index doesn't match static route\n");
			return -1; /* expect: rule 2 */
		}

		if (!bgp_static->backdoor)
			bgp_static_withdraw(bgp, p, afi, safi);

		/* Clear the configuration: drop the lookup's lock and the
		 * lock the configuration held on the node. */
		bgp_static_free(bgp_static);
		dest->info = NULL;
		bgp_dest_unlock_node(dest);
		bgp_dest_unlock_node(dest);
		return 0;
	}

	dest = bgp_node_get(bgp->route[afi][safi], p);
	bgp_static = dest->info;
	if (bgp_static) {
		bgp_static->backdoor = backdoor;
		bgp_dest_unlock_node(dest);
	} else {
		bgp_static = bgp_static_new();
		bgp_static->backdoor = backdoor;
		bgp_static->label_index = label_index;
		/* The configuration keeps bgp_node_get()'s lock. */
		dest->info = bgp_static;
	}

	bgp_static->valid = 1;
	if (!bgp_static->backdoor)
		bgp_static_update(bgp, p, bgp_static, afi, safi);
	return 0;
}
