/* SPDX-License-Identifier: MIT */
/* Kept (no field comment): a reply points back to the connection its request
 * came on; the connection outlives its requests and replies (it drains
 * them before its last put), so neither holds a reference. */
#include <stdlib.h>
#include <kref.h>

struct conn { struct kref ref; int fd; };
struct msg { struct conn *conn; int type; };

static void conn_free(struct kref *ref)
{
	free(container_of(ref, struct conn, ref));
}

void conn_close(struct conn *c)
{
	kref_put(&c->ref, conn_free);
}

struct msg *msg_reply(const struct msg *req, int type)
{
	struct msg *m = calloc(1, sizeof(*m));

	if (!m)
		return NULL;
	m->conn = req->conn;
	m->type = type;
	return m;
}
