/* SPDX-License-Identifier: MIT */
/* Rule 2: a channel holds a counted node by value; the node's release
 * callback was left empty "because teardown frees the channel", so the
 * channel is freed at teardown whatever the node's count says (a reader
 * that still holds the node keeps a pointer into freed memory). */
#include <stdlib.h>
#include <kref.h>

struct node { struct kref kref; void (*release)(struct node *n); int id; };
struct chan { struct node nd; char *buf; int len; };

void node_publish(struct node *n);
void node_hide(struct node *n);

static void chan_node_release(struct node *n)
{
	(void)n;
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
	free(c->buf);
	free(c);	/* expect: rule 2 */
}
