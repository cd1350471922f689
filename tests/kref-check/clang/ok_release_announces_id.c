/* SPDX-License-Identifier: MIT */
/* A channel's release announces the close by the channel's id, not by a
 * pointer to the channel: nothing takes a reference on the dying object. */
#include <stdlib.h>
#include <kref.h>

struct channel {
	struct kref ref;
	int id;
};

struct event {
	int chan_id;
	struct event *next;
};

static struct event *pending;

static void channel_release(struct kref *ref);

void channel_put(struct channel *c)
{
	kref_put(&c->ref, channel_release);
}

static void event_queue(int id)
{
	struct event *ev = malloc(sizeof(*ev));

	if (!ev)
		abort();
	ev->chan_id = id;
	ev->next = pending;
	pending = ev;
}

static void channel_release(struct kref *ref)
{
	struct channel *c = container_of(ref, struct channel, ref);

	event_queue(c->id);
	free(c);
}
