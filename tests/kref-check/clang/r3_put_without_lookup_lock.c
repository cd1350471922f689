/* SPDX-License-Identifier: MIT */
/* Rule 3: the final put does not hold the lock the lookup gets under. */
#include <pthread.h>
#include <stdlib.h>
#include <kref.h>

struct entry { struct kref ref; int key; struct entry *next; };

static pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;
static struct entry *table;

/* Unlinks and frees. */
static void entry_release(struct kref *ref)
{
	struct entry *e = container_of(ref, struct entry, ref), **p;

	pthread_mutex_lock(&table_lock);
	for (p = &table; *p != e; p = &(*p)->next)
		;
	*p = e->next;
	pthread_mutex_unlock(&table_lock);
	free(e);
}

void entry_put(struct entry *e)
{
	kref_put(&e->ref, entry_release);	/* expect: rule 3 */
}

struct entry *entry_find(int key)
{
	struct entry *e;

	pthread_mutex_lock(&table_lock);
	for (e = table; e; e = e->next)
		if (e->key == key)
			break;
	if (e)
		kref_get(&e->ref);
	pthread_mutex_unlock(&table_lock);
	return e;
}
