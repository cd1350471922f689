/* SPDX-License-Identifier: MIT */
/* Correct, kernel style: the release cannot sleep, so it queues a work
 * item whose handler finishes it (frees the entry, through a helper, under
 * the table's mutex).  That handler is part of the release; so is what it
 * calls.  And a table's array of entry pointers is not an entry: freeing
 * it frees no counted object (issue 18). */
#include <linux/kref.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include "kernel_shim.h"

struct gid_entry {
	struct kref kref;
	struct work_struct del_work;
	int index;
};

struct gid_table {
	struct mutex lock;
	int size;
	struct gid_entry **data_vec;
};

bool queue_work(void *wq, struct work_struct *work);
static struct gid_table table;

static void free_gid_entry_locked(struct gid_entry *entry)
{
	table.data_vec[entry->index] = NULL;
	kfree(entry);
}

static void free_gid_work(struct work_struct *work)
{
	struct gid_entry *entry = container_of(work, struct gid_entry, del_work);

	mutex_lock(&table.lock);
	free_gid_entry_locked(entry);
	mutex_unlock(&table.lock);
}

static void free_gid_entry(struct kref *kref)
{
	struct gid_entry *entry = container_of(kref, struct gid_entry, kref);

	queue_work(NULL, &entry->del_work);
}

struct gid_entry *gid_entry_alloc(int index)
{
	struct gid_entry *entry = kzalloc(sizeof(*entry), GFP_KERNEL);

	if (!entry)
		return NULL;
	kref_init(&entry->kref);
	INIT_WORK(&entry->del_work, free_gid_work);
	entry->index = index;
	return entry;
}

void gid_entry_put(struct gid_entry *entry)
{
	kref_put(&entry->kref, free_gid_entry);
}

void gid_table_release(void)
{
	mutex_destroy(&table.lock);
	kfree(table.data_vec);
}
