/* SPDX-License-Identifier: MIT */
/* Correct: the port's route pointer holds a reference of its own, and the
 * writer drops it only after a grace period, once no reader can still see
 * the old route; a plain kref_get under rcu_read_lock is then safe, since
 * the count cannot reach 0 while a reader holds the pointer. */
#include <linux/kref.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>

struct route {
	struct kref kref;
	int metric;
};

struct port {
	struct mutex lock;
	struct route __rcu *route;
};

static void route_free(struct kref *kref)
{
	kfree(container_of(kref, struct route, kref));
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
		kref_get(&rt->kref);
	rcu_read_unlock();
	return rt;
}

void port_set_route(struct port *port, struct route *rt)
{
	struct route *old;

	kref_get(&rt->kref);
	mutex_lock(&port->lock);
	old = rcu_dereference_protected(port->route, 1);
	rcu_assign_pointer(port->route, rt);
	mutex_unlock(&port->lock);
	synchronize_rcu();
	if (old)
		route_put(old);
}
