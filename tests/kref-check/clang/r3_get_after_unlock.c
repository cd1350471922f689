/* SPDX-License-Identifier: MIT */
/* Rule 3: the lookup drops the table's lock before it gets. */
#include <pthread.h>
#include <stdlib.h>
#include <kref.h>

struct entry { struct kref ref; int key; struct entry *next; };

static pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;
static struct entry *table;

static void entry_release(struct kref *ref)
{
	free(container_of(ref, struct entry, ref));
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
	pthread_mutex_unlock(&table_lock);
	if (e)
		kref_get(&e->ref);	/* expect: rule 3 */
	return e;
}
