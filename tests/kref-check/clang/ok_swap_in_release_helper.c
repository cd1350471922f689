/* SPDX-License-Identifier: MIT */
/* A pair of linked ports: each holds a reference to its peer.  The
 * release of a port unlinks and puts its peer through a helper; a reader
 * gets the peer of a port it holds a reference to, which no release can
 * run on meanwhile. */
#include <stdlib.h>
#include <kref.h>

struct port {
	struct kref ref;
	struct port *peer;
};

static void port_release(struct kref *ref);

static void port_put(struct port *p)
{
	kref_put(&p->ref, port_release);
}

static void port_unpair(struct port *p)
{
	struct port *peer = p->peer;

	if (peer) {
		p->peer = NULL;
		peer->peer = NULL;
		port_put(peer);
	}
}

static void port_release(struct kref *ref)
{
	struct port *p = container_of(ref, struct port, ref);

	port_unpair(p);
	free(p);
}

/* The caller holds a reference to p. */
struct port *port_get_peer(struct port *p)
{
	if (!p->peer)
		return NULL;
	kref_get(&p->peer->ref);
	return p->peer;
}
