/* SPDX-License-Identifier: MIT */
/* Rule 1, publishing into a shared list and then dropping the only
 * reference: the timer entry is linked on the global pending list, and
 * arm_timeout() puts the reference it created; the list keeps a pointer
 * that nobody holds (the release does not unlink it). */
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
	tnode_add_tail(&t->link, &pending);	/* expect: rule 1 */
	pthread_mutex_unlock(&pending_lock);
	kref_put(&t->ref, timeout_release);
	return 0;
}
