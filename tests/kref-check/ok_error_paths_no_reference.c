/* SPDX-License-Identifier: MIT */
/* Correct, kernel style: error paths where there is no reference to put.
 * The pointer is NULL or an error pointer there (tested by an outer if, or
 * by the if this one is the else of), or the goto's label returns the
 * reference to the caller: a success path (issue 18). */
#include <linux/kref.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include "kernel_shim.h"

struct entry {
	struct kref kref;
	int key;
	struct entry *next;
};

static DEFINE_MUTEX(entries_lock);
static struct entry *entries;

static void entry_release(struct kref *kref)
{
	kfree(container_of(kref, struct entry, kref));
}

static struct entry *entry_alloc(int key)
{
	struct entry *e = kzalloc(sizeof(*e), GFP_KERNEL);

	if (!e)
		return NULL;
	kref_init(&e->kref);
	e->key = key;
	return e;
}

static struct entry *entry_find_locked(int key)
{
	struct entry *e;

	for (e = entries; e; e = e->next)
		if (e->key == key)
			return e;
	return ERR_PTR(-ENOENT);
}

int entry_use(int key, int tries)
{
	struct entry *e;

retry:
	e = entry_alloc(key);
	if (!e) {
		if (tries-- <= 0)
			return -ENOMEM;
		goto retry;
	}
	e->key++;
	kref_put(&e->kref, entry_release);
	return 0;
}

struct entry *entry_lookup(int key)
{
	struct entry *e;

	mutex_lock(&entries_lock);
	e = entry_find_locked(key);
	if (!IS_ERR(e)) {
		kref_get(&e->kref);
		goto unlock;
	} else if (PTR_ERR(e) != -ENOENT) {
		goto unlock;
	}
	e = NULL;
unlock:
	mutex_unlock(&entries_lock);
	return e;
}

struct entry *entry_find_get(int key)
{
	struct entry *e;

	mutex_lock(&entries_lock);
	for (e = entries; e; e = e->next) {
		if (e->key == key && kref_get_unless_zero(&e->kref))
			goto out;
	}
	mutex_unlock(&entries_lock);
	return NULL;
out:
	mutex_unlock(&entries_lock);
	return e;
}

void entry_drop(struct entry *e)
{
	if (e->key < 0) {
		pr_err("odd key\n");
	}
	kref_put(&e->kref, entry_release);
}
