/* SPDX-License-Identifier: MIT */
/* Rule 3: a channel's release announces the close, and the announcement
 * queues an event that takes a reference on the channel: a get on an
 * object whose count is already zero, which the event's put later frees
 * a second time. */
#include <stdlib.h>
#include <kref.h>

struct channel {
	struct kref ref;
	int id;
};

struct event {
	struct channel *chan;
	struct event *next;
};

static struct event *pending;

static void channel_release(struct kref *ref);

void channel_put(struct channel *c)
{
	kref_put(&c->ref, channel_release);
}

static void event_queue(struct channel *c)
{
	struct event *ev = malloc(sizeof(*ev));

	if (!ev)
		abort();
	kref_get(&c->ref);
	ev->chan = c;
	ev->next = pending;
	pending = ev;
}

static void channel_announce_close(struct channel *c)
{
	event_queue(c);
}

static void channel_release(struct kref *ref)
{
	struct channel *c = container_of(ref, struct channel, ref);

	channel_announce_close(c);	/* expect: rule 3 */
	free(c);
}
