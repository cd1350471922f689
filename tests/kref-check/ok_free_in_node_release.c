/* SPDX-License-Identifier: MIT */
/* Rule 2, correct: the channel's memory goes in the release callback of
 * the counted node it holds by value, once the last holder let go; the
 * teardown only hides the node and drops its own reference. */
#include <stdlib.h>
#include <kref.h>

struct node { struct kref kref; void (*release)(struct node *n); int id; };
struct chan { struct node nd; char *buf; int len; };

void node_publish(struct node *n);
void node_hide(struct node *n);

static void chan_node_release(struct node *n)
{
	struct chan *c = container_of(n, struct chan, nd);

	free(c->buf);
	free(c);
}

static void node_last(struct kref *kref)
{
	struct node *n = container_of(kref, struct node, kref);

	n->release(n);
}

struct chan *chan_open(int id)
{
	struct chan *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	kref_init(&c->nd.kref);
	c->nd.id = id;
	c->nd.release = chan_node_release;
	node_publish(&c->nd);
	return c;
}

void chan_teardown(struct chan *c)
{
	node_hide(&c->nd);
	kref_put(&c->nd.kref, node_last);
}
