/* SPDX-License-Identifier: MIT */
/*
 * Fixed twin of r3_haproxy_dict_insert_unlock.c (own code): haproxy commit
 * de6a26e3c89da24dea2449f66e21d10a0d3a3131, src/dict.c.  The refcount is
 * incremented inside the read lock, before the unlock.
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
	if (de) {
		kref_get(&de->refcount);
		pthread_rwlock_unlock(&d->rwlock);
		return de;
	}
	pthread_rwlock_unlock(&d->rwlock);
	return dict_insert_new(d, s);
}
