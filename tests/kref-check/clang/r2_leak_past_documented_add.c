/* SPDX-License-Identifier: MIT */
/* Rule 2: the port is fetched with a reference, a filter is added to it
 * (which, as its comment says, keeps no reference to the port), and the
 * port's reference is never dropped. */
#include <stdlib.h>
#include <kref.h>

struct port { struct kref ref; int fd; };

/* Returns the device's control port with a new reference, or NULL. */
extern struct port *device_ref_control_port(int dev);
/* Adds a message filter to the port; keeps no reference to the port. */
extern void port_add_filter(struct port *p, int msg);

void watch_status(int dev)
{
	struct port *p = device_ref_control_port(dev);

	if (!p)
		return;
	port_add_filter(p, 7);
}	/* expect: rule 2 */
