/* SPDX-License-Identifier: MIT */
/* Correct: helper puts member, its caller clears it */
#include <stdlib.h>
#include <kref.h>
struct peer { struct kref ref; int id; };
struct conn { struct peer *peer; int state; };
static void peer_release(struct kref *r) { free(container_of(r, struct peer, ref)); }
void peer_put(struct peer *p) { kref_put(&p->ref, peer_release); }
struct peer *peer_new(int id)
{
	struct peer *p = calloc(1, sizeof(*p));
	if (p) { kref_init(&p->ref); p->id = id; }
	return p;
}
static void conn_drop_peer(struct conn *c)
{
	c->state = 0;
	peer_put(c->peer);
}
void conn_reset(struct conn *c)
{
	conn_drop_peer(c);
	c->peer = NULL;
}
void conn_set(struct conn *c, int id)
{
	c->peer = peer_new(id);
}
void conn_destroy(struct conn *c)
{
	if (c->peer) {
		peer_put(c->peer);
		c->peer = NULL;
	}
	free(c);
}
