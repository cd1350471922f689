/* SPDX-License-Identifier: MIT */
/* Rule 3, correct: the link takes its reference on the peer port under the
 * bridge's lock, in the same section as the lookup, before keeping it in
 * l->peer; link_detach() puts it. */
#include <linux/kref.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/xarray.h>

struct port {
	struct kref kref;
	int id;
};

struct bridge {
	struct mutex lock;
	struct xarray ports;
};

struct link {
	struct port *peer;
};

static void port_release(struct kref *kref)
{
	kfree(container_of(kref, struct port, kref));
}

void port_put(struct port *p)
{
	kref_put(&p->kref, port_release);
}

int link_attach(struct link *l, struct bridge *br, int id)
{
	struct port *p;

	mutex_lock(&br->lock);
	p = xa_load(&br->ports, id);
	if (p)
		kref_get(&p->kref);
	mutex_unlock(&br->lock);
	if (!p)
		return -ENOENT;
	l->peer = p;
	return 0;
}

void link_detach(struct link *l)
{
	port_put(l->peer);
	l->peer = NULL;
}

void port_remove(struct bridge *br, int id)
{
	struct port *p;

	mutex_lock(&br->lock);
	p = xa_erase(&br->ports, id);
	mutex_unlock(&br->lock);
	if (p)
		port_put(p);
}
