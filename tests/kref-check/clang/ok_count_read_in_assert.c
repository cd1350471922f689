/* SPDX-License-Identifier: MIT */
/* Rule 3, correct: the count read under the lock only feeds an assertion;
 * the entry is taken off the list under the lock, and the list's
 * reference and the caller's are dropped after it. */
#include <assert.h>
#include <pthread.h>
#include <stdlib.h>
#include <kref.h>

struct item { struct kref ref; struct item *next; };

static pthread_mutex_t list_lock = PTHREAD_MUTEX_INITIALIZER;
static struct item *list_head;

static void item_release(struct kref *ref)
{
	free(container_of(ref, struct item, ref));
}

/* Takes it off the list; the caller holds a reference of its own. */
void item_remove(struct item *it)
{
	struct item **pp;

	pthread_mutex_lock(&list_lock);
	assert(kref_read(&it->ref) >= 2);
	for (pp = &list_head; *pp; pp = &(*pp)->next)
		if (*pp == it) {
			*pp = it->next;
			break;
		}
	pthread_mutex_unlock(&list_lock);
	kref_put(&it->ref, item_release);
	kref_put(&it->ref, item_release);
}
