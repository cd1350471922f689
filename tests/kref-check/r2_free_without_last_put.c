/* SPDX-License-Identifier: MIT */
/* Rule 2: freeing when kref_put reports the last reference is the release;
 * freeing without asking is not. */
#include <pthread.h>
#include <stdlib.h>
#include <kref.h>

/* Correct: a dummy release, the caller frees when kref_put says it was
 * the last reference. */
struct node { struct kref kref; struct node *next; };
static void node_noop(struct kref *k) { (void)k; }

void node_unref(struct node *n)
{
	if (kref_put(&n->kref, node_noop))
		free(n);
}

/* Violation: the same object freed without asking the count. */
void node_kill(struct node *n)
{
	n->next = NULL;
	free(n);	/* expect: rule 2 */
}
