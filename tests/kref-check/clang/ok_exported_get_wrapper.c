/* SPDX-License-Identifier: MIT */
/* Correct: get and put wrappers the program exports, named as it likes,
 * and a put wrapper named put_ first. */
#include <stdlib.h>
#include <kref.h>

struct node { struct kref ref; struct node *parent; };

static void node_release(struct kref *ref)
{
	free(container_of(ref, struct node, ref));
}

struct node *node_grab(struct node *n)
{
	kref_get(&n->ref);
	return n;
}

void take_node(struct node *n)
{
	kref_get(&n->ref);
}

void drop_node(struct node *n)
{
	kref_put(&n->ref, node_release);
}

/* Drops the caller's reference on the parent. */
extern void put_parent(struct node *parent);

void node_set_parent(struct node *n, struct node *parent)
{
	n->parent = node_grab(parent);
}

void node_detach(struct node *n)
{
	put_parent(n->parent);
	n->parent = NULL;
}
