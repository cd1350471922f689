/* SPDX-License-Identifier: MIT */
/* Rule 1, a field of an object's private data filled from a lookup that
 * takes no reference: the bridge port lives as long as its counted
 * endpoint (it is the endpoint's private data) and keeps the uplink found
 * by name, which the lookup returned without a reference. */
#include <stdlib.h>
#include <kref.h>

struct endpoint { struct kref ref; void *priv; int mtu; };
struct bridge_port { struct endpoint *self; struct endpoint *uplink; };

static struct endpoint *endpoints[16];

/* Returns the endpoint with no reference: callers hold the table's lock. */
static struct endpoint *endpoint_lookup(int idx)
{
	struct endpoint *found = endpoints[idx & 15];

	return found;
}

int endpoint_publish(struct endpoint *ep);

int bridge_port_setup(struct endpoint *ep, int uplink)
{
	struct bridge_port *bp = ep->priv;
	struct endpoint *up;

	up = endpoint_lookup(uplink);
	if (!up)
		return -1;
	bp->uplink = up;	/* expect: rule 1 */
	bp->self = ep;
	ep->mtu = up->mtu;
	return endpoint_publish(ep);
}
