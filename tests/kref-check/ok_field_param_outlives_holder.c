/* SPDX-License-Identifier: MIT */
/* Correct: a counted per-client state keeps the server it was created
 * for; the server owns its clients and tears them all down before it
 * goes, so the pointer back needs no reference (nobody drops the
 * server's reference after creating a client). */
#include <stdlib.h>
#include <kref.h>

struct server { struct kref ref; int port; };
struct client { struct kref ref; struct server *srv; int fd; };

static void client_release(struct kref *ref)
{
	free(container_of(ref, struct client, ref));
}

struct client *client_new(struct server *srv, int fd)
{
	struct client *c = malloc(sizeof(*c));

	if (!c)
		return NULL;
	kref_init(&c->ref);
	c->fd = fd;
	c->srv = srv;
	return c;
}

void client_drop(struct client *c)
{
	kref_put(&c->ref, client_release);
}
