/* SPDX-License-Identifier: MIT */
/* Correct: lookups under lock helpers without arguments; the new item
 * leaves through *out before any failure. */
#include <pthread.h>
#include <stdlib.h>
#include <kref.h>

struct item { struct kref ref; struct item *next; int key; };
static struct item *items;
static pthread_mutex_t items_lock = PTHREAD_MUTEX_INITIALIZER;

static void registry_lock(void) { pthread_mutex_lock(&items_lock); }
static void registry_unlock(void) { pthread_mutex_unlock(&items_lock); }

static void item_release(struct kref *ref)
{
	struct item *it = container_of(ref, struct item, ref), **pp;
	for (pp = &items; *pp; pp = &(*pp)->next)
		if (*pp == it) { *pp = it->next; break; }
	registry_unlock();
	free(it);
}

/* Correct: lookups hold the registry lock through the helpers. */
struct item *item_find(int key)
{
	struct item *it;
	registry_lock();
	for (it = items; it; it = it->next)
		if (it->key == key) {
			kref_get(&it->ref);
			break;
		}
	registry_unlock();
	return it;
}

void item_put(struct item *it) { kref_put_mutex(&it->ref, item_release, &items_lock); }

/* Correct: the new item goes out through *out before any failure. */
int item_create(int key, struct item **out)
{
	struct item *it = calloc(1, sizeof(*it));
	if (!it)
		return -1;
	kref_init(&it->ref);
	it->key = key;
	*out = it;
	if (key < 0)
		return -2;
	kref_get(&it->ref);
	registry_lock();
	it->next = items;
	items = it;
	registry_unlock();
	return 0;
}
