/* SPDX-License-Identifier: MIT */
/* Kept: the lookup returns a new reference; its comment says
 * the NULL it returns when nothing is found carries no reference. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <kref.h>

struct node { struct kref ref; struct node *next; char name[32]; };

static pthread_mutex_t nodes_lock = PTHREAD_MUTEX_INITIALIZER;
static struct node *nodes;

static void node_release(struct kref *ref)
{
	free(container_of(ref, struct node, ref));
}

/* Finds the node called @name.  Returns it with a reference the caller
 * must put, or NULL (without a reference) if there is none. */
struct node *node_find(const char *name)
{
	struct node *n;

	pthread_mutex_lock(&nodes_lock);
	for (n = nodes; n; n = n->next)
		if (!strcmp(n->name, name)) {
			kref_get(&n->ref);
			break;
		}
	pthread_mutex_unlock(&nodes_lock);
	return n;
}

int node_exists(const char *name)
{
	struct node *n = node_find(name);

	if (!n)
		return 0;
	kref_put(&n->ref, node_release);
	return 1;
}
