/* SPDX-License-Identifier: MIT */
/* Correct: the kernel documentation's list example: lookup and kref_get
 * under the mutex, and every put also made with the mutex held. */
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/slab.h>

struct my_data {
	struct kref refcount;
	struct list_head link;
};

static DEFINE_MUTEX(mutex);
static LIST_HEAD(q);

static struct my_data *get_entry(void)
{
	struct my_data *entry = NULL;

	mutex_lock(&mutex);
	if (!list_empty(&q)) {
		entry = container_of(q.next, struct my_data, link);
		kref_get(&entry->refcount);
	}
	mutex_unlock(&mutex);
	return entry;
}

static void release_entry(struct kref *ref)
{
	struct my_data *entry = container_of(ref, struct my_data, refcount);

	list_del(&entry->link);
	kfree(entry);
}

static void put_entry(struct my_data *entry)
{
	mutex_lock(&mutex);
	kref_put(&entry->refcount, release_entry);
	mutex_unlock(&mutex);
}

int touch_first(void)
{
	struct my_data *e = get_entry();

	if (!e)
		return -1;
	put_entry(e);
	return 0;
}
