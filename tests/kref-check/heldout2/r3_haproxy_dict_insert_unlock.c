/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: haproxy commit
 * de6a26e3c89da24dea2449f66e21d10a0d3a3131 "BUG/MEDIUM: dict: hold read
 * lock while incrementing refcount in dict_insert" (message read on a
 * gitweb mirror), src/dict.c, dict_insert().  The entry is looked up in
 * the dictionary's tree under d->rwlock (read), but its refcount is
 * incremented after the read unlock: dict_entry_unref() in another thread
 * can drop it to zero, delete it under the write lock and free it in
 * between.  The entry's refcount written here with struct kref.
 */
#include <stdlib.h>
#include <pthread.h>
#include <kref.h>

struct ebpt_node { void *key; };
struct dict { const char *name; pthread_rwlock_t rwlock; void *values; };
struct dict_entry { struct ebpt_node value; struct kref refcount; size_t len; };

/* Tree walk; the caller holds d->rwlock. */
struct dict_entry *__dict_lookup(struct dict *d, const char *s);
/* Allocates an entry whose count starts at 1 and inserts it under the write lock. */
struct dict_entry *dict_insert_new(struct dict *d, char *s);
/* Drops a reference; the last one deletes the entry under the write lock. */
void dict_entry_unref(struct dict *d, struct dict_entry *de);

struct dict_entry *dict_insert(struct dict *d, char *s)
{
	struct dict_entry *de;

	pthread_rwlock_rdlock(&d->rwlock);
	de = __dict_lookup(d, s);
	pthread_rwlock_unlock(&d->rwlock);
	if (de) {
		kref_get(&de->refcount);	/* expect: rule 3 */
		return de;
	}
	return dict_insert_new(d, s);
}
