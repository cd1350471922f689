/* SPDX-License-Identifier: MIT */
/* kernel style: the table's reference is dropped only after the entry
 * is unlinked under entries_lock, so a lookup can never find an entry whose
 * count reached zero; the release only poisons and frees it. */
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <stdatomic.h>
#include "kernel_shim.h"

#define ENTRY_DEAD 0xdead

struct entry { struct kref ref; struct list_head node; int key; int magic; };

static DEFINE_SPINLOCK(entries_lock);
static LIST_HEAD(entries);
static atomic_int nr_entries;

static void entry_release(struct kref *ref)
{
	struct entry *e = container_of(ref, struct entry, ref);

	e->magic = ENTRY_DEAD;
	atomic_fetch_sub(&nr_entries, 1);
	kfree(e);
}

void entry_put(struct entry *e)
{
	kref_put(&e->ref, entry_release);
}

struct entry *entry_lookup(int key)
{
	struct entry *e, *found = NULL;

	spin_lock(&entries_lock);
	list_for_each_entry(e, &entries, node)
		if (e->key == key) {
			kref_get(&e->ref);
			found = e;
			break;
		}
	spin_unlock(&entries_lock);
	return found;
}

void entry_remove(struct entry *e)
{
	spin_lock(&entries_lock);
	list_del(&e->node);
	spin_unlock(&entries_lock);
	entry_put(e);	/* the list's reference */
}
