/* SPDX-License-Identifier: MIT */
/*
 * Project: FRRouting/frr
 * Path:    ospf6d/ospf6_route.c
 * Fix:     674a358ff5e416bcdc16cbf8459e3cd3647c0d2a
 * Bug:     ospf6_route_best_next() drops the iterator's reference on the
 *          current route and only then reads route->rnode, a use after put.
 */
#include <assert.h>
#include <stddef.h>
#include <kref.h>

struct route_node {
	struct kref lock;		/* route_lock_node/route_unlock_node */
	void *info;			/* the ospf6_route stored at this node */
};

struct ospf6_route {
	struct kref lock;		/* ospf6_route_lock/ospf6_route_unlock */
	struct route_node *rnode;	/* the table node holding this route */
	struct ospf6_route *next;
	struct ospf6_route *prev;
};

/* frees the route and its nexthop and path lists */
extern void ospf6_route_delete(struct ospf6_route *route);
/* frees a route_node once nothing locks it any more */
extern void route_node_delete(struct route_node *node);
/* returns the next node in table order with a lock taken on it, and
 * drops the lock held on the node passed in */
extern struct route_node *route_next(struct route_node *node);

static void ospf6_route_release(struct kref *kref)
{
	ospf6_route_delete(container_of(kref, struct ospf6_route, lock));
}

static void route_node_release(struct kref *kref)
{
	route_node_delete(container_of(kref, struct route_node, lock));
}

void ospf6_route_lock(struct ospf6_route *route)
{
	kref_get(&route->lock);
}

void ospf6_route_unlock(struct ospf6_route *route)
{
	kref_put(&route->lock, ospf6_route_release);
}

void route_lock_node(struct route_node *node)
{
	kref_get(&node->lock);
}

void route_unlock_node(struct route_node *node)
{
	kref_put(&node->lock, route_node_release);
}

/*
 * Iterator over the best routes of a table: the caller holds a reference
 * on @route (from ospf6_route_head() or a previous call) and gets one on
 * the route returned.
 */
struct ospf6_route *ospf6_route_best_next(struct ospf6_route *route)
{
	struct route_node *rnode;
	struct ospf6_route *next;

	rnode = route->rnode;
	assert(rnode);
	route_lock_node(rnode);
	ospf6_route_unlock(route);

	rnode = route_next(rnode);
	while (rnode && rnode->info == NULL)
		rnode = route_next(rnode);
	if (rnode == NULL)
		return NULL;
	route_unlock_node(rnode);

	assert(rnode->info);
	next = (struct ospf6_route *)rnode->info;
	ospf6_route_lock(next);
	return next;
}
