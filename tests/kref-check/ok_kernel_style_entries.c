/* SPDX-License-Identifier: MIT */
/* Correct, kernel style: entries on a list, found under the mutex their
 * final put takes (kref_put_mutex) or under RCU with kref_get_unless_zero,
 * freed after a grace period by the release function. */
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>

struct entry {
	struct kref kref;
	struct list_head node;
	struct rcu_head rcu;
	int key;
};

static DEFINE_MUTEX(entries_mutex);
static LIST_HEAD(entries);

static void entry_release(struct kref *kref)
{
	struct entry *e = container_of(kref, struct entry, kref);

	list_del_rcu(&e->node);
	mutex_unlock(&entries_mutex);
	kfree_rcu(e, rcu);
}

void entry_put(struct entry *e)
{
	kref_put_mutex(&e->kref, entry_release, &entries_mutex);
}

struct entry *entry_add(int key)
{
	struct entry *e = kzalloc(sizeof(*e), GFP_KERNEL);

	if (!e)
		return NULL;
	kref_init(&e->kref);		/* the list's reference */
	e->key = key;
	kref_get(&e->kref);		/* the caller's, before it is listed */
	mutex_lock(&entries_mutex);
	list_add_rcu(&e->node, &entries);
	mutex_unlock(&entries_mutex);
	return e;
}

struct entry *entry_find(int key)
{
	struct entry *e, *found = NULL;

	mutex_lock(&entries_mutex);
	list_for_each_entry(e, &entries, node) {
		if (e->key == key) {
			kref_get(&e->kref);
			found = e;
			break;
		}
	}
	mutex_unlock(&entries_mutex);
	return found;
}

struct entry *entry_find_rcu(int key)
{
	struct entry *e, *found = NULL;

	rcu_read_lock();
	list_for_each_entry_rcu(e, &entries, node) {
		if (e->key == key && kref_get_unless_zero(&e->kref)) {
			found = e;
			break;
		}
	}
	rcu_read_unlock();
	return found;
}
