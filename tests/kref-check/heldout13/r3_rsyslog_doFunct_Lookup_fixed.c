/* SPDX-License-Identifier: MIT */
/*
 * Project: rsyslog/rsyslog
 * Path: grammar/rainerscript.c (and runtime/lookup.c for the reload)
 * Fix commit: ff3a3f8e22b7974e00795ba81cdf3b4b37c67dbb
 * Bug: doFunct_Lookup() takes and drops the lookup table's read lock and
 * only then reads the current table pointer and searches the table, with
 * neither the lock nor a reference, so a concurrent reload can swap the
 * table out and drop its last reference while the lookup still uses it.
 */
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <kref.h>

typedef struct lookup_s {
	struct kref ref;	/* the lookup_ref's reference */
	uint8_t key_type;
	void *table;
} lookup_t;

typedef struct lookup_ref_s {
	pthread_rwlock_t rwlock;	/* protects self against reloads */
	const char *filename;
	lookup_t *self;
} lookup_ref_t;

/* parses the table file into lu; returns 0 on success */
extern int lookupReadFile(lookup_t *lu, const char *filename);
/* frees the entries of a table */
extern void lookupFreeTable(lookup_t *lu);
/* searches the table; returns a string that lives inside the table */
extern const char *lookupKey(lookup_t *lu, uint8_t key_type, const char *key);

static void lookupDestruct(struct kref *ref)
{
	lookup_t *lu = container_of(ref, lookup_t, ref);

	lookupFreeTable(lu);
	free(lu);
}

/* reloader thread: build the new table, publish it, drop the old one */
int lookupReloadOrStub(lookup_ref_t *pThis)
{
	lookup_t *newlu, *oldlu;

	newlu = calloc(1, sizeof(*newlu));
	if (newlu == NULL)
		return -1;
	kref_init(&newlu->ref);
	if (lookupReadFile(newlu, pThis->filename) != 0) {
		kref_put(&newlu->ref, lookupDestruct);
		return -1;
	}
	pthread_rwlock_wrlock(&pThis->rwlock);
	oldlu = pThis->self;
	pThis->self = newlu;
	pthread_rwlock_unlock(&pThis->rwlock);
	if (oldlu != NULL)
		kref_put(&oldlu->ref, lookupDestruct);
	return 0;
}

/* rainerscript lookup("table", key): returns a new string */
char *doFunct_Lookup(lookup_ref_t *lookup_table_ref, const char *key)
{
	lookup_t *lookup_table;
	const char *found = NULL;
	char *ret;

	pthread_rwlock_rdlock(&lookup_table_ref->rwlock);
	lookup_table = lookup_table_ref->self;
	if (lookup_table != NULL)
		found = lookupKey(lookup_table, lookup_table->key_type, key);
	ret = strdup(found != NULL ? found : "");
	pthread_rwlock_unlock(&lookup_table_ref->rwlock);
	return ret;
}
