/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: haproxy/haproxy commit
 * 2644f9ddf92975f570788ed7ce5bd585b0e85f28 "BUG/MEDIUM: dict: hold lock
 * while decrementing refcount in dict_entry_unref", src/dict.c.
 * dict_insert() finds an existing entry in the tree under the read lock
 * and increments its refcount there, but dict_entry_unref() decremented
 * the refcount before taking the write lock that unlinks the entry from
 * the tree: between the drop to zero and the lock, dict_insert() can find
 * the entry and take a reference on it, and the entry is then deleted and
 * freed under the new holder (a use after free).  The fix moves the
 * decrement inside the write lock.  (The same function's insert path,
 * with its own collision bug fixed a day later by c0e302fe7, is left out:
 * only the lookup hit is kept.)  dict_entry's refcount is written with a
 * kref, whose release unlinks the entry under the write lock.
 */
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <kref.h>

struct ebpt_node { void *key; };
struct eb_root { void *b[2]; };

struct dict_entry {
	struct ebpt_node value;
	struct kref refcount;
	size_t len;
};

struct dict {
	const char *name;
	struct eb_root values;
	pthread_rwlock_t rwlock;
};

#define HA_RWLOCK_RDLOCK(lbl, l)	pthread_rwlock_rdlock(l)
#define HA_RWLOCK_RDUNLOCK(lbl, l)	pthread_rwlock_unlock(l)
#define HA_RWLOCK_WRLOCK(lbl, l)	pthread_rwlock_wrlock(l)
#define HA_RWLOCK_WRUNLOCK(lbl, l)	pthread_rwlock_unlock(l)

/* ebis_lookup(): the node whose string key is s, or NULL. */
extern struct ebpt_node *ebis_lookup(struct eb_root *root, const char *s);
/* ebpt_delete(): unlinks the node from its tree. */
extern void ebpt_delete(struct ebpt_node *node);

static void free_dict_entry(struct dict_entry *de)
{
	free(de->value.key);
	free(de);
}

static struct dict_entry *__dict_lookup(struct dict *d, const char *s)
{
	struct ebpt_node *node = ebis_lookup(&d->values, s);

	return node ? container_of(node, struct dict_entry, value) : NULL;
}

/* The lookup hit of dict_insert(): an existing entry, with a reference for the caller. */
struct dict_entry *dict_lookup_ref(struct dict *d, char *s)
{
	struct dict_entry *de;

	HA_RWLOCK_RDLOCK(DICT_LOCK, &d->rwlock);
	de = __dict_lookup(d, s);
	if (de)
		kref_get(&de->refcount);
	HA_RWLOCK_RDUNLOCK(DICT_LOCK, &d->rwlock);
	return de;
}

/* Called with the write lock held (haproxy frees the entry just after unlocking). */
static void dict_entry_release(struct kref *ref)
{
	struct dict_entry *de = container_of(ref, struct dict_entry, refcount);

	ebpt_delete(&de->value);
	free_dict_entry(de);
}

void dict_entry_unref(struct dict *d, struct dict_entry *de)
{
	if (!de)
		return;

	HA_RWLOCK_WRLOCK(DICT_LOCK, &d->rwlock);
	kref_put(&de->refcount, dict_entry_release);
	HA_RWLOCK_WRUNLOCK(DICT_LOCK, &d->rwlock);
}
