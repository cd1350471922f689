/* SPDX-License-Identifier: MIT */
/* Correct: a port's current route is read with rcu_dereference under
 * rcu_read_lock and taken only if its count is not already 0; the writer
 * swaps it under the port's mutex and puts the old one. */
#include <linux/kref.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>

struct route {
	struct kref kref;
	struct rcu_head rcu;
	int metric;
};

struct port {
	struct mutex lock;
	struct route __rcu *route;
};

static void route_free(struct kref *kref)
{
	struct route *rt = container_of(kref, struct route, kref);

	kfree_rcu(rt, rcu);
}

void route_put(struct route *rt)
{
	kref_put(&rt->kref, route_free);
}

struct route *port_route(struct port *port)
{
	struct route *rt;

	rcu_read_lock();
	rt = rcu_dereference(port->route);
	if (rt && !kref_get_unless_zero(&rt->kref))
		rt = NULL;
	rcu_read_unlock();
	return rt;
}

void port_set_route(struct port *port, struct route *rt)
{
	struct route *old;

	mutex_lock(&port->lock);
	old = rcu_dereference_protected(port->route, 1);
	rcu_assign_pointer(port->route, rt);
	mutex_unlock(&port->lock);
	if (old)
		route_put(old);
}
