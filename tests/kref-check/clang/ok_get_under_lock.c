/* SPDX-License-Identifier: MIT */
/* Rule 3 kept: the get is made under the table's lock. */
#include <pthread.h>
#include <stdlib.h>
#include <kref.h>

struct entry { struct kref ref; int key; struct entry *next; };

static pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;
static struct entry *table;

/* Called with table_lock held (kref_put_mutex); unlinks and frees. */
static void entry_release(struct kref *ref)
{
	struct entry *e = container_of(ref, struct entry, ref), **p;

	for (p = &table; *p != e; p = &(*p)->next)
		;
	*p = e->next;
	pthread_mutex_unlock(&table_lock);
	free(e);
}

void entry_put(struct entry *e)
{
	kref_put_mutex(&e->ref, entry_release, &table_lock);
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
