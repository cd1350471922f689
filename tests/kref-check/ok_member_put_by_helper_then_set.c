/* SPDX-License-Identifier: MIT */
/* Correct: old member put through a helper before it is overwritten */
#include <stdlib.h>
#include <kref.h>
struct sess { struct kref ref; int id; };
struct client { struct sess *sess; int n; };
static void sess_release(struct kref *r) { free(container_of(r, struct sess, ref)); }
void sess_put(struct sess *s) { kref_put(&s->ref, sess_release); }
struct sess *sess_new(int id)
{
	struct sess *s = calloc(1, sizeof(*s));
	if (s) { kref_init(&s->ref); s->id = id; }
	return s;
}
static void client_forget(struct client *c)
{
	sess_put(c->sess);
	c->sess = NULL;
}
int client_renew(struct client *c)
{
	int old = c->sess->id;
	client_forget(c);
	c->sess = sess_new(old + 1);
	return c->sess ? 0 : -1;
}
