/* SPDX-License-Identifier: MIT */
/* user-space: removal unlinks under the registry lock and then drops
 * the registry's reference; the release records a statistic in the
 * registry (atomically) and frees. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <kref.h>

struct registry;
struct entry { struct kref ref; int key; struct entry *next; struct registry *reg; char *name; };
struct registry { pthread_mutex_t lock; struct entry *head; atomic_long freed; };

static void entry_release(struct kref *ref)
{
	struct entry *e = container_of(ref, struct entry, ref);

	atomic_fetch_add(&e->reg->freed, 1);
	free(e->name);
	e->name = NULL;
	free(e);
}

struct entry *registry_find(struct registry *r, int key)
{
	struct entry *e;

	pthread_mutex_lock(&r->lock);
	for (e = r->head; e; e = e->next)
		if (e->key == key) {
			kref_get(&e->ref);
			break;
		}
	pthread_mutex_unlock(&r->lock);
	return e;
}

void entry_put(struct entry *e)
{
	kref_put(&e->ref, entry_release);
}

void registry_remove(struct registry *r, struct entry *e)
{
	struct entry **pp;

	pthread_mutex_lock(&r->lock);
	for (pp = &r->head; *pp; pp = &(*pp)->next)
		if (*pp == e) {
			*pp = e->next;
			break;
		}
	pthread_mutex_unlock(&r->lock);
	entry_put(e);
}
