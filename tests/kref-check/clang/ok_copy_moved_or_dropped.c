/* SPDX-License-Identifier: MIT */
/* Correct: a counted pointer taken out of its holder before it is stored
 * elsewhere (a move), stored in a client freed on the error path before
 * any put, or kept in a field documented as holding no reference. */
#include <stdlib.h>
#include <kref.h>

struct bus { struct kref ref; int fd; };
struct session { struct bus *bus; };	/* put in session_close() */
struct client { struct bus *bus; int id; };
struct view { struct bus *bus; /* borrowed: the session's reference covers it */ };

extern int client_setup(struct client *c);

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

void client_free(struct client *c)
{
	if (c->bus)
		kref_put(&c->bus->ref, bus_release);
	free(c);
}

struct client *client_take_bus(struct session *s)
{
	struct client *c = calloc(1, sizeof(*c));
	struct bus *b;

	if (!c)
		return NULL;
	b = s->bus;
	s->bus = NULL;
	c->bus = b;
	return c;
}

struct client *client_new(struct session *s)
{
	struct client *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->bus = s->bus;
	if (client_setup(c) < 0) {
		free(c);
		return NULL;
	}
	kref_get(&c->bus->ref);
	return c;
}

struct view *view_new(struct session *s)
{
	struct view *v = calloc(1, sizeof(*v));

	if (v)
		v->bus = s->bus;
	return v;
}
