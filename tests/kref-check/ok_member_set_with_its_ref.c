/* SPDX-License-Identifier: MIT */
/* Rule 2, correct, kernel style.  A port keeps the device it is bound to
 * in port->dev, and the function that stores the pointer takes the
 * reference for it in the same place; nothing else ever sets port->dev.
 * Unbinding calls into the bus (not shown) with the port and then puts
 * port->dev: the bus cannot have pointed it elsewhere. */
#include <linux/kref.h>
#include <linux/slab.h>
#include "kernel_shim.h"

struct gdev { struct kref kref; int id; };
struct port { struct gdev *dev; int nr; };

/* Tells the bus the port is going away; sleeps until it is idle. */
extern void bus_port_quiesce(struct port *port);

static void gdev_release(struct kref *kref)
{
	kfree(container_of(kref, struct gdev, kref));
}

void port_bind(struct port *port, struct gdev *dev)
{
	port->dev = dev;
	kref_get(&port->dev->kref);
}

void port_unbind(struct port *port)
{
	bus_port_quiesce(port);
	kref_put(&port->dev->kref, gdev_release);
}
