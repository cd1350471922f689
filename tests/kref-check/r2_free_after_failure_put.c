/* SPDX-License-Identifier: MIT */
/* Rule 2: the failure path puts the thread's reference, then frees the
 * object it still holds a reference to. */
#include <pthread.h>
#include <stdlib.h>
#include <kref.h>

struct lease { struct kref ref; int owner; };
static void lease_release(struct kref *ref) { free(container_of(ref, struct lease, ref)); }

static void *lease_keeper(void *arg)
{
	struct lease *l = arg;
	l->owner = 0;
	kref_put(&l->ref, lease_release);
	return NULL;
}

/* Violation: the creator frees on the way out instead of putting. */
int lease_grant(int owner)
{
	struct lease *l = malloc(sizeof(*l));
	pthread_t t;

	if (!l)
		return -1;
	kref_init(&l->ref);
	l->owner = owner;
	kref_get(&l->ref);
	if (pthread_create(&t, NULL, lease_keeper, l) != 0) {
		kref_put(&l->ref, lease_release);
		free(l);	/* expect: rule 2 */
		return -1;
	}
	pthread_detach(t);
	kref_put(&l->ref, lease_release);
	return 0;
}
