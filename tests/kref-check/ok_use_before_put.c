/* SPDX-License-Identifier: MIT */
/* Rule 2: every use of the object comes before the put that may free it,
 * the pointer is cleared after it, or the function puts a reference of its
 * own while the caller's keeps the object alive. */
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

int session_audit(struct session *s);

void session_expire(struct session *s, long now)
{
	if (s->expires > now)
		return;
	s->state = 0;
	kref_put(&s->ref, session_release);
}

int session_check(struct session *s)
{
	int bad;

	kref_get(&s->ref);
	bad = session_audit(s);
	kref_put(&s->ref, session_release);
	return bad ? s->state : 0;
}

static int request_account(struct request *req)
{
	req->conn->bytes += req->len;
	return req->len;
}

int request_complete(struct request *req)
{
	int n = request_account(req);

	connection_put(req->conn);
	req->conn = NULL;
	return n;
}
