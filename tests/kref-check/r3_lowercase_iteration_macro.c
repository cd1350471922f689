/* SPDX-License-Identifier: MIT */
/* Rule 3 through an iteration macro whose name does not say so. */
#include <pthread.h>
#include <stdlib.h>
#include <kref.h>

struct node { struct kref ref; struct node *next; int key; };
static struct node *head;
static pthread_mutex_t head_lock = PTHREAD_MUTEX_INITIALIZER;

#define walk(n) for ((n) = head; (n); (n) = (n)->next)

static void node_release(struct kref *ref)
{
	struct node *n = container_of(ref, struct node, ref);
	pthread_mutex_unlock(&head_lock);
	free(n);
}

void node_put(struct node *n) { kref_put_mutex(&n->ref, node_release, &head_lock); }

struct node *node_find(int key)
{
	struct node *n;
	walk(n) {
		if (n->key == key) {
			kref_get(&n->ref);	/* expect: rule 3 */
			return n;
		}
	}
	return NULL;
}
