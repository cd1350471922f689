/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: haproxy commit
 * c0e302fe79a127e7093a14757351e85cfba20b24 "BUG/MINOR: dict: fix refcount
 * race on insert collision" (message read on a gitweb mirror), src/dict.c,
 * dict_insert().  When the insert under the write lock finds that another
 * thread inserted the same key first, the function frees its own entry
 * and returns the winner, found under the lock, with no reference taken:
 * both callers hold "a reference" on a count of 1.  The entry's refcount
 * written here with struct kref.
 */
#include <stdlib.h>
#include <pthread.h>
#include <kref.h>

struct ebpt_node { void *key; };
struct eb_root { void *b[2]; };
struct dict { const char *name; pthread_rwlock_t rwlock; struct eb_root values; };
struct dict_entry { struct ebpt_node value; struct kref refcount; size_t len; };

/* Returns the node now in the tree for the key: the new one or an existing one. */
struct ebpt_node *ebis_insert(struct eb_root *root, struct ebpt_node *new);
/* Lookup under the read lock, returning a referenced entry or NULL. */
struct dict_entry *dict_lookup_get(struct dict *d, const char *s);
void free_dict_entry(struct dict_entry *de);

static struct dict_entry *new_dict_entry(char *s)
{
	struct dict_entry *de = calloc(1, sizeof(*de));

	if (!de)
		return NULL;
	de->value.key = s;
	kref_init(&de->refcount);	/* preset to 1: the caller's reference */
	return de;
}

struct dict_entry *dict_insert(struct dict *d, char *s)
{
	struct dict_entry *de;
	struct ebpt_node *n;

	de = dict_lookup_get(d, s);
	if (de)
		return de;

	de = new_dict_entry(s);
	if (!de)
		return NULL;

	pthread_rwlock_wrlock(&d->rwlock);
	n = ebis_insert(&d->values, &de->value);
	pthread_rwlock_unlock(&d->rwlock);
	if (n != &de->value) {
		/* somebody else inserted the same key first */
		free_dict_entry(de);
		de = container_of(n, struct dict_entry, value);	/* expect: rule 3 */
	}
	return de;
}
