/* SPDX-License-Identifier: MIT */
/* Correct: conn_attach stores the result of mgr_get_ref(), which (its name says)
 * returns a new reference: not an accessor that gives none. */
#include <stdlib.h>
#include <kref.h>
struct sess { struct kref ref; int id; };
struct conn { struct kref ref; struct sess *sess; };
struct mgr;
struct sess *mgr_get_ref(struct mgr *m);
static void conn_release(struct kref *r) { free(container_of(r, struct conn, ref)); }
void conn_put(struct conn *c) { kref_put(&c->ref, conn_release); }
void conn_attach(struct conn *c, struct mgr *m)
{
	c->sess = mgr_get_ref(m);
}
