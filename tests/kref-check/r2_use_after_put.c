/* SPDX-License-Identifier: MIT */
/* Rule 2: a reference dropped before the last use of the object.  The
 * function owns no other reference, so the put may have freed it: the
 * session's state is written after the put, and a request's connection is
 * put before a helper that still reads it through the request. */
#include <stdlib.h>
#include <kref.h>

struct session { struct kref ref; int state; long expires; };
struct connection { struct kref ref; int fd; long bytes; };
struct request { struct connection *conn; int len; };

static void session_release(struct kref *ref)
{
	free(container_of(ref, struct session, ref));
}

static void connection_release(struct kref *ref)
{
	free(container_of(ref, struct connection, ref));
}

static void connection_put(struct connection *c)
{
	kref_put(&c->ref, connection_release);
}

void session_expire(struct session *s, long now)
{
	if (s->expires > now)
		return;
	kref_put(&s->ref, session_release);
	s->state = 0;	/* expect: rule 2 */
}

static int request_account(struct request *req)
{
	req->conn->bytes += req->len;
	return req->len;
}

/* Called with the reference the request took on its connection. */
int request_complete(struct request *req)
{
	connection_put(req->conn);	/* expect: rule 2 */
	return request_account(req);
}
