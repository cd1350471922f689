/* SPDX-License-Identifier: MIT */
/* Lookups walk the registry and get under its lock; the release takes the
 * entry off the registry, and runs under that lock too: the final put is
 * made holding it. */
#include <pthread.h>
#include <stdlib.h>
#include <kref.h>

struct entry { struct kref ref; int key; struct entry *next; };
struct registry { pthread_mutex_t lock; struct entry *head; };

static struct registry reg = { PTHREAD_MUTEX_INITIALIZER, NULL };

static void entry_release(struct kref *ref)
{
	struct entry *e = container_of(ref, struct entry, ref);
	struct entry **pp;

	for (pp = &reg.head; *pp; pp = &(*pp)->next)
		if (*pp == e) {
			*pp = e->next;
			break;
		}
	pthread_mutex_unlock(&reg.lock);
	free(e);
}

struct entry *entry_find(int key)
{
	struct entry *e;

	pthread_mutex_lock(&reg.lock);
	for (e = reg.head; e; e = e->next)
		if (e->key == key) {
			kref_get(&e->ref);
			break;
		}
	pthread_mutex_unlock(&reg.lock);
	return e;
}

void entry_put(struct entry *e)
{
	kref_put_mutex(&e->ref, entry_release, &reg.lock);
}
