/* SPDX-License-Identifier: MIT */
/* Rule 3 under RCU: a port's current route is an RCU-published member of
 * the port, not a global; readers that find it with rcu_dereference and
 * take it with a plain kref_get can revive a route whose last reference
 * the writer just dropped. */
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
	if (rt)
		kref_get(&rt->kref);	/* expect: rule 3 */
	rcu_read_unlock();
	return rt;
}

struct route *port_route_nonnull(struct port *port)
{
	struct route *rt;

	rcu_read_lock();
	kref_get(&rcu_dereference(port->route)->kref);	/* expect: rule 3 */
	rt = rcu_dereference(port->route);
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
