// SPDX-License-Identifier: MIT
/*
 * kernel_style.c - kref code written the kernel's way, compiled unchanged
 * against libkref's compat headers (-I compat, or
 * -I$(pkg-config --variable=compatdir libkref)): an object with an
 * embedded kref on a list, found under the mutex its final put takes
 * (kref_put_mutex) or under RCU with kref_get_unless_zero, unlinked and
 * freed after a grace period by the release function.
 */
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include "kernel_style.h"

struct my_data {
	struct kref refcount;
	struct list_head link;
	struct rcu_head rhead;
	int value;
};

static DEFINE_MUTEX(mutex);
static LIST_HEAD(q);
static int released;		/* protected by mutex */

/* Adds an entry; the list holds the reference kref_init gave it. */
struct my_data *add_entry(int value)
{
	struct my_data *entry = kzalloc(sizeof(*entry), GFP_KERNEL);

	if (!entry)
		return NULL;
	kref_init(&entry->refcount);
	entry->value = value;
	mutex_lock(&mutex);
	list_add_rcu(&entry->link, &q);
	mutex_unlock(&mutex);
	return entry;
}

/* Called with mutex held by kref_put_mutex. */
static void release_entry(struct kref *ref)
{
	struct my_data *entry = container_of(ref, struct my_data, refcount);

	list_del_rcu(&entry->link);
	released++;
	mutex_unlock(&mutex);
	kfree_rcu(entry, rhead);
}

void put_entry(struct my_data *entry)
{
	kref_put_mutex(&entry->refcount, release_entry, &mutex);
}

/* Lookup and get under the mutex the final put takes: never a dying one. */
struct my_data *get_first_entry(void)
{
	struct my_data *entry = NULL;

	mutex_lock(&mutex);
	if (!list_empty(&q)) {
		entry = list_first_entry(&q, struct my_data, link);
		kref_get(&entry->refcount);
	}
	mutex_unlock(&mutex);
	return entry;
}

/* Lookup under RCU: an entry whose count reached 0 is skipped. */
struct my_data *get_entry_rcu(int value)
{
	struct my_data *entry, *found = NULL;

	rcu_read_lock();
	list_for_each_entry_rcu(entry, &q, link) {
		if (entry->value == value && kref_get_unless_zero(&entry->refcount)) {
			found = entry;
			break;
		}
	}
	rcu_read_unlock();
	return found;
}

int entry_value(const struct my_data *entry)
{
	return entry->value;
}

int entries_released(void)
{
	int n;

	mutex_lock(&mutex);
	n = released;
	mutex_unlock(&mutex);
	return n;
}

void wait_for_frees(void)
{
	rcu_barrier();
}
