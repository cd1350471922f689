/* SPDX-License-Identifier: MIT */
/* Rule 2 kept: kernel style.  Unlinking takes the peer out of the port
 * before putting it, so destroying the port finds it cleared.  The twin
 * of r2_kernel_unlink_leaves_peer.c. */
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

	port->peer = NULL;
	pr_info("unlinking from peer %d\n", peer->id);
	peer_put(peer);
	port->state = 0;
}

void port_destroy(struct port *port)
{
	if (port->peer)
		peer_put(port->peer);
	kfree(port);
}
