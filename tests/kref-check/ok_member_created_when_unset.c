/* SPDX-License-Identifier: MIT */
/* Correct: member set lazily; early return when already set */
#include <stdlib.h>
#include <kref.h>
struct sess { struct kref ref; int id; };
struct client { struct sess *sess; };
static void sess_release(struct kref *r) { free(container_of(r, struct sess, ref)); }
void sess_put(struct sess *s) { kref_put(&s->ref, sess_release); }
struct sess *sess_new(int id)
{
	struct sess *s = calloc(1, sizeof(*s));
	if (s) { kref_init(&s->ref); s->id = id; }
	return s;
}
int client_session_id(struct client *c, int id)
{
	if (c->sess)
		return c->sess->id;
	c->sess = sess_new(id);
	return c->sess ? c->sess->id : -1;
}
void client_free(struct client *c)
{
	if (c->sess)
		sess_put(c->sess);
	free(c);
}
