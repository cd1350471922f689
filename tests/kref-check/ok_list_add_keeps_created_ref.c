/* SPDX-License-Identifier: MIT */
/* Correct: the new timer entry's one reference goes to the global
 * pending list; arm_timeout() keeps no pointer and puts nothing, and the
 * reaper that unlinks an entry puts that reference. */
#include <pthread.h>
#include <stdlib.h>
#include <kref.h>

struct tnode { struct tnode *next, *prev; };
struct timeout { struct kref ref; struct tnode link; long deadline; };

static struct tnode pending = { &pending, &pending };
static pthread_mutex_t pending_lock = PTHREAD_MUTEX_INITIALIZER;

void tnode_add_tail(struct tnode *n, struct tnode *head);

static void timeout_release(struct kref *ref)
{
	free(container_of(ref, struct timeout, ref));
}

int arm_timeout(long deadline)
{
	struct timeout *t = malloc(sizeof(*t));

	if (!t)
		return -1;
	kref_init(&t->ref);
	t->deadline = deadline;
	pthread_mutex_lock(&pending_lock);
	tnode_add_tail(&t->link, &pending);
	pthread_mutex_unlock(&pending_lock);
	return 0;
}
