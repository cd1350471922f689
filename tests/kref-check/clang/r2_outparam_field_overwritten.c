/* SPDX-License-Identifier: MIT */
/* Rule 2: the pending call is stored in the transport with a new
 * reference (send_with_reply's out parameter); cancelling it clears the
 * field but never drops that reference. */
#include <stdbool.h>
#include <stdlib.h>
#include <kref.h>

struct conn;
struct pending { struct kref ref; int serial; };
struct transport { struct conn *conn; struct pending *call; };

/* Sends the request; on success *out holds a new reference to the pending
 * call for the caller (the connection keeps its own until the reply). */
extern bool send_with_reply(struct conn *c, int request, struct pending **out);
/* Stops waiting: the connection drops its reference, the caller's is left. */
extern void pending_cancel(struct pending *p);

static void pending_release(struct kref *ref)
{
	free(container_of(ref, struct pending, ref));
}

void pending_unref(struct pending *p)
{
	kref_put(&p->ref, pending_release);
}

int transport_acquire(struct transport *t)
{
	if (t->call)
		return -1;
	return send_with_reply(t->conn, 1, &t->call) ? 0 : -1;
}

void transport_release(struct transport *t)
{
	if (t->call) {
		pending_cancel(t->call);
		t->call = NULL;	/* expect: rule 2 */
	}
}
