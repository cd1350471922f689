/* SPDX-License-Identifier: MIT */
/* Rule 1: the client keeps a copy of the session's bus, and the session's
 * reference is put: the client is left with a pointer nobody counts. */
#include <stdlib.h>
#include <kref.h>

struct bus { struct kref ref; int fd; };
struct session { struct bus *bus; };	/* put in session_close() */
struct client { struct bus *bus; int id; };

static void bus_release(struct kref *ref)
{
	free(container_of(ref, struct bus, ref));
}

void session_close(struct session *s)
{
	if (s->bus)
		kref_put(&s->bus->ref, bus_release);
	s->bus = NULL;
}

struct client *client_detach(struct session *s, int id)
{
	struct client *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->id = id;
	c->bus = s->bus;	/* expect: rule 1 */
	session_close(s);
	return c;
}
