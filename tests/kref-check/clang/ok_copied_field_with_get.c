/* SPDX-License-Identifier: MIT */
/* Correct: a pointer copied out of another object's counted field gets a
 * reference for its new holder; another is moved, the old holder cleared. */
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

struct client *client_new(struct session *s, int id)
{
	struct client *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->id = id;
	c->bus = s->bus;
	kref_get(&c->bus->ref);
	return c;
}

struct client *client_take_bus(struct session *s, int id)
{
	struct client *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->id = id;
	c->bus = s->bus;
	s->bus = NULL;
	return c;
}
