/* SPDX-License-Identifier: MIT */
/* Rule 1: a pointer copied out of another object's counted field is kept
 * in a long-lived object with no reference of its own. */
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
	kref_put(&s->bus->ref, bus_release);
	s->bus = NULL;
}

struct client *client_new(struct session *s, int id)
{
	struct client *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->id = id;
	c->bus = s->bus;	/* expect: rule 1 */
	return c;
}
