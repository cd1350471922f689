/* SPDX-License-Identifier: MIT */
/* Correct: a get wrapper defined elsewhere returns the object it was given;
 * its result ignored, the reference is still put. */
#include <kref.h>

struct node { struct kref ref; int hits; };

struct node *node_get(struct node *n);
void node_put(struct node *n);

static struct node *cached;

void node_touch(struct node *n)
{
	node_get(n);
	n->hits++;
	node_put(n);
}

void node_cache(struct node *n)
{
	node_get(n);
	node_put(cached);
	cached = n;
}
