/* SPDX-License-Identifier: MIT */
/* Correct: the lock is taken through small wrappers; lookups hold it
 * around the walk and the get, and the final put takes the same mutex. */
#include <pthread.h>
#include <stdlib.h>
#include <kref.h>

struct bucket_entry {
	struct kref ref;
	struct bucket_entry *next;
	unsigned long key;
};

struct table {
	pthread_mutex_t lock;
	struct bucket_entry *head;
};

static struct table tbl = { .lock = PTHREAD_MUTEX_INITIALIZER };

static void table_lock(struct table *t)
{
	pthread_mutex_lock(&t->lock);
}

static void table_unlock(struct table *t)
{
	pthread_mutex_unlock(&t->lock);
}

static void entry_release(struct kref *ref)
{
	struct bucket_entry *e = container_of(ref, struct bucket_entry, ref);
	struct bucket_entry **pp;

	for (pp = &tbl.head; *pp; pp = &(*pp)->next)
		if (*pp == e) {
			*pp = e->next;
			break;
		}
	table_unlock(&tbl);
	free(e);
}

void entry_put(struct bucket_entry *e)
{
	kref_put_mutex(&e->ref, entry_release, &tbl.lock);
}

struct bucket_entry *entry_lookup(unsigned long key)
{
	struct bucket_entry *e;

	table_lock(&tbl);
	for (e = tbl.head; e; e = e->next)
		if (e->key == key) {
			kref_get(&e->ref);
			break;
		}
	table_unlock(&tbl);
	return e;
}
