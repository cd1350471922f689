/* SPDX-License-Identifier: MIT */
/* Rule 3, correct: the table holds a reference of its own to every entry,
 * dropped only under the write lock when the entry is removed; a reader's
 * put under the read lock is never the last, and the release only frees. */
#include <pthread.h>
#include <stdlib.h>
#include <kref.h>

struct entry { struct kref ref; int key; };

static pthread_rwlock_t table_lock = PTHREAD_RWLOCK_INITIALIZER;

/* The entry for key, or NULL: the table's (table_lock held). */
extern struct entry *table_find(int key);
/* Takes the entry out of the table (table_lock held for writing). */
extern void table_remove(struct entry *e);

static void entry_release(struct kref *ref)
{
	free(container_of(ref, struct entry, ref));
}

int entry_touch(int key)
{
	struct entry *e;

	pthread_rwlock_rdlock(&table_lock);
	e = table_find(key);
	if (e)
		kref_get(&e->ref);
	pthread_rwlock_unlock(&table_lock);
	if (!e)
		return -1;
	pthread_rwlock_rdlock(&table_lock);
	kref_put(&e->ref, entry_release);
	pthread_rwlock_unlock(&table_lock);
	return 0;
}

void entry_delete(int key)
{
	struct entry *e;

	pthread_rwlock_wrlock(&table_lock);
	e = table_find(key);
	if (e) {
		table_remove(e);
		kref_put(&e->ref, entry_release);
	}
	pthread_rwlock_unlock(&table_lock);
}
