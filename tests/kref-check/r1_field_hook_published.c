/* SPDX-License-Identifier: MIT */
/* Rule 1, a member path published after the store: the listener's
 * embedded hook keeps the channel it was given and is then registered
 * with the dispatcher, which calls it until it is unregistered; the
 * caller drops its channel reference as soon as the listener is set up,
 * and nothing holds one for the hook. */
#include <pthread.h>
#include <stdlib.h>
#include <kref.h>

struct channel { struct kref ref; int id; };
struct hook { int (*fn)(struct hook *, const void *); struct channel *chan; };
struct listener { pthread_mutex_t lock; struct hook hook; int armed; };

struct channel *channel_find(int id);	/* returns the channel with a reference */
void dispatcher_register(struct hook *h);
void dispatcher_unregister(struct hook *h);
int listener_deliver(struct hook *h, const void *msg);

static void channel_release(struct kref *ref)
{
	free(container_of(ref, struct channel, ref));
}

void channel_put(struct channel *c)
{
	kref_put(&c->ref, channel_release);
}

static void listener_arm(struct listener *l, struct channel *chan)
{
	pthread_mutex_lock(&l->lock);
	l->hook.fn = listener_deliver;
	l->hook.chan = chan;	/* expect: rule 1 */
	dispatcher_register(&l->hook);
	l->armed = 1;
	pthread_mutex_unlock(&l->lock);
}

int listener_attach(struct listener *l, int id)
{
	struct channel *chan = channel_find(id);

	if (!chan)
		return -1;
	listener_arm(l, chan);
	channel_put(chan);
	return 0;
}
