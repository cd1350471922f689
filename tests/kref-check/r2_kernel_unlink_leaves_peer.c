/* SPDX-License-Identifier: MIT */
/* Rule 2: kernel style.  Unlinking a port from its peer drops the port's
 * reference on the peer through a local copy and leaves port->peer set;
 * destroying the port later puts port->peer again because it is set. */
#include <linux/kref.h>
#include <linux/slab.h>
#include "kernel_shim.h"

struct peer { struct kref kref; int id; };
struct port { struct peer *peer; int state; };

static void peer_release(struct kref *kref)
{
	kfree(container_of(kref, struct peer, kref));
}

static void peer_put(struct peer *p)
{
	kref_put(&p->kref, peer_release);
}

void port_unlink(struct port *port)
{
	struct peer *peer = port->peer;

	pr_info("unlinking from peer %d\n", peer->id);
	peer_put(peer);	/* expect: rule 2 */
	port->state = 0;
}

void port_destroy(struct port *port)
{
	if (port->peer)
		peer_put(port->peer);
	kfree(port);
}
