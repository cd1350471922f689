/* SPDX-License-Identifier: MIT */
/* Rule 3: a link looks its peer port up in the bridge's table under the
 * bridge's lock and keeps it in l->peer after dropping the lock, with no
 * reference, though link_detach() puts what l->peer holds.  A port_remove()
 * on another CPU can drop the table's reference, the last, in between. */
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
	mutex_unlock(&br->lock);
	if (!p)
		return -ENOENT;
	l->peer = p;	/* expect: rule 3 */
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
