/* SPDX-License-Identifier: MIT */
/* Correct: the bridge port, private data of its counted endpoint, keeps
 * the uplink with a reference of its own, taken by the lookup under the
 * table's lock and put when the port is torn down. */
#include <pthread.h>
#include <stdlib.h>
#include <kref.h>

struct endpoint { struct kref ref; void *priv; int mtu; };
struct bridge_port { struct endpoint *self; struct endpoint *uplink; };

static struct endpoint *endpoints[16];
static pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;

static void endpoint_release(struct kref *ref)
{
	struct endpoint *ep = container_of(ref, struct endpoint, ref);

	pthread_mutex_unlock(&table_lock);
	free(ep);
}

/* Returns the endpoint with a reference. */
static struct endpoint *endpoint_lookup_get(int idx)
{
	struct endpoint *found;

	pthread_mutex_lock(&table_lock);
	found = endpoints[idx & 15];
	if (found)
		kref_get(&found->ref);
	pthread_mutex_unlock(&table_lock);
	return found;
}

int endpoint_publish(struct endpoint *ep);

int bridge_port_setup(struct endpoint *ep, int uplink)
{
	struct bridge_port *bp = ep->priv;
	struct endpoint *up;

	up = endpoint_lookup_get(uplink);
	if (!up)
		return -1;
	bp->uplink = up;
	bp->self = ep;
	ep->mtu = up->mtu;
	return endpoint_publish(ep);
}

void bridge_port_teardown(struct endpoint *ep)
{
	struct bridge_port *bp = ep->priv;

	kref_put_mutex(&bp->uplink->ref, endpoint_release, &table_lock);
	bp->uplink = NULL;
}
