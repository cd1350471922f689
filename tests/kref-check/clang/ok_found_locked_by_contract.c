/* SPDX-License-Identifier: MIT */
/* Correct: the helper that walks the table takes no lock because its
 * comment makes the caller hold it; and a child's parent pointer, which
 * holds a reference, keeps the parent alive for whoever holds the child. */
#include <pthread.h>
#include <stdlib.h>
#include <kref.h>

struct node {
	struct kref ref;
	struct node *parent;	/* holds a reference */
	struct node *next;
	int id;
};
struct table { pthread_mutex_t lock; struct node *head; };

static void node_release(struct kref *ref)
{
	free(container_of(ref, struct node, ref));
}

void node_remove(struct table *t, struct node *n)
{
	struct node **pp;

	pthread_mutex_lock(&t->lock);
	for (pp = &t->head; *pp; pp = &(*pp)->next)
		if (*pp == n) {
			*pp = n->next;
			break;
		}
	kref_put(&n->ref, node_release);
	pthread_mutex_unlock(&t->lock);
}

/* Called with t->lock held. */
struct node *table_find_locked(struct table *t, int id)
{
	struct node *n;

	for (n = t->head; n; n = n->next)
		if (n->id == id) {
			kref_get(&n->ref);
			return n;
		}
	return NULL;
}

/* @n: the caller's reference; returns a new reference to its parent. */
struct node *node_get_parent(struct node *n)
{
	struct node *p = n->parent;

	if (p)
		kref_get(&p->ref);
	return p;
}
