/* SPDX-License-Identifier: MIT */
/*
 * Project: torvalds/linux
 * Path: kernel/ucount.c
 * Fix commit: 040757f738e13caaa9c5078bca79aa97e11dde88
 *   ("ucount: Remove the atomicity from ucount->count", CVE-2017-6874)
 * Bug: put_ucounts() drops the count without ucounts_lock and only takes
 * the lock afterwards (in the release) to unlink the entry, so
 * get_ucounts(), which finds the entry in the hash under ucounts_lock, can
 * take a reference on an entry whose count already reached zero and that
 * is about to be freed.
 *
 * Written for libkref's held-out set: a reconstruction on struct kref, not
 * the kernel's code.  The hash table is one list here.
 */
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include "kernel_shim.h"

struct user_namespace;

struct ucounts {
	struct list_head node;
	struct user_namespace *ns;
	unsigned int uid;
	struct kref count;
};

static DEFINE_SPINLOCK(ucounts_lock);
static LIST_HEAD(ucounts_hashtable);

/* Caller holds ucounts_lock; returns a borrowed pointer. */
static struct ucounts *find_ucounts(struct user_namespace *ns, unsigned int uid)
{
	struct ucounts *ucounts;

	list_for_each_entry(ucounts, &ucounts_hashtable, node) {
		if (ucounts->ns == ns && ucounts->uid == uid)
			return ucounts;
	}
	return NULL;
}

/* Runs on the last put, with ucounts_lock held: unlinks and frees. */
static void ucounts_release(struct kref *kref)
{
	struct ucounts *ucounts = container_of(kref, struct ucounts, count);

	list_del(&ucounts->node);
	kfree(ucounts);
}

struct ucounts *get_ucounts(struct user_namespace *ns, unsigned int uid)
{
	struct ucounts *ucounts, *new;

	spin_lock_irq(&ucounts_lock);
	ucounts = find_ucounts(ns, uid);
	if (!ucounts) {
		spin_unlock_irq(&ucounts_lock);

		new = kzalloc(sizeof(*new), GFP_KERNEL);
		if (!new)
			return NULL;
		new->ns = ns;
		new->uid = uid;

		spin_lock_irq(&ucounts_lock);
		ucounts = find_ucounts(ns, uid);
		if (ucounts) {
			kfree(new);
		} else {
			kref_init(&new->count);
			list_add(&new->node, &ucounts_hashtable);
			spin_unlock_irq(&ucounts_lock);
			return new;
		}
	}
	kref_get(&ucounts->count);
	spin_unlock_irq(&ucounts_lock);
	return ucounts;
}

void put_ucounts(struct ucounts *ucounts)
{
	unsigned long flags;

	spin_lock_irqsave(&ucounts_lock, flags);
	kref_put(&ucounts->count, ucounts_release);
	spin_unlock_irqrestore(&ucounts_lock, flags);
}

/* A user of the counts, as inc_ucount()/dec_ucount() are. */
bool inc_ucount(struct user_namespace *ns, unsigned int uid)
{
	struct ucounts *ucounts = get_ucounts(ns, uid);

	if (!ucounts)
		return false;
	/* ... charge the namespace's limits ... */
	put_ucounts(ucounts);
	return true;
}
