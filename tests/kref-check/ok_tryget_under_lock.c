/* SPDX-License-Identifier: MIT */
/* Correct: kref_get_unless_zero inside the lock that finds the entry; the
 * release function takes the lock to unlink, so the put needs no lock. */
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/slab.h>

struct my_data {
	struct kref refcount;
	struct list_head link;
	int key;
};

static DEFINE_MUTEX(mutex);
static LIST_HEAD(q);

static struct my_data *get_entry(int key)
{
	struct my_data *entry, *found = NULL;

	mutex_lock(&mutex);
	list_for_each_entry(entry, &q, link) {
		if (entry->key == key) {
			if (kref_get_unless_zero(&entry->refcount))
				found = entry;
			break;
		}
	}
	mutex_unlock(&mutex);
	return found;
}

static void release_entry(struct kref *ref)
{
	struct my_data *entry = container_of(ref, struct my_data, refcount);

	mutex_lock(&mutex);
	list_del(&entry->link);
	mutex_unlock(&mutex);
	kfree(entry);
}

static void put_entry(struct my_data *entry)
{
	kref_put(&entry->refcount, release_entry);
}

int use_entry(int key)
{
	struct my_data *e = get_entry(key);

	if (!e)
		return -1;
	put_entry(e);
	return 0;
}
