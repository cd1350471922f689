/* SPDX-License-Identifier: MIT */
/* Correct, kernel style: a constructor that fails after kref_init, or
 * finds that another thread already made the object, frees it with kfree.
 * Nobody else was given the pointer, so the initial reference is the only
 * one and the kfree is its final put (issue 18, the most frequent false
 * positive on real drivers).  So too after a table insert that failed (a
 * failed idr_alloc stored nothing), or one undone before the lock it was
 * made under, which every lookup takes, was let go. */
#include <linux/kref.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include "kernel_shim.h"

struct port_group {
	struct kref kref;
	int id;
	void *buf;
	void *irq;
	struct port_group *next;
};

struct idr { void *slots[16]; };
int idr_alloc(struct idr *idr, void *ptr, int start, int end, int gfp);
void *idr_remove(struct idr *idr, int id);

static DEFINE_MUTEX(groups_lock);
static struct idr group_ids;
static struct port_group *groups;

static void port_group_release(struct kref *kref)
{
	struct port_group *pg = container_of(kref, struct port_group, kref);

	kfree(pg->irq);
	kfree(pg->buf);
	kfree(pg);
}

static int port_group_setup_irq(struct port_group *pg)
{
	pg->irq = kzalloc(16, GFP_KERNEL);
	return pg->irq ? 0 : -ENOMEM;
}

static struct port_group *port_group_find_get(int id)
{
	struct port_group *pg;

	for (pg = groups; pg; pg = pg->next)
		if (pg->id == id) {
			kref_get(&pg->kref);
			return pg;
		}
	return NULL;
}

struct port_group *port_group_create(int id)
{
	struct port_group *pg, *old;

	pg = kzalloc(sizeof(*pg), GFP_KERNEL);
	if (!pg)
		return ERR_PTR(-ENOMEM);
	kref_init(&pg->kref);
	pg->id = id;
	pg->buf = kzalloc(64, GFP_KERNEL);
	if (!pg->buf)
		goto err_free;
	if (port_group_setup_irq(pg))
		goto err_buf;

	mutex_lock(&groups_lock);
	old = port_group_find_get(id);
	if (old) {
		mutex_unlock(&groups_lock);
		kfree(pg->irq);
		kfree(pg->buf);
		kfree(pg);
		return old;
	}
	pg->next = groups;
	groups = pg;
	kref_get(&pg->kref);
	mutex_unlock(&groups_lock);
	return pg;

err_buf:
	kfree(pg->buf);
err_free:
	kfree(pg);
	return ERR_PTR(-ENOMEM);
}

void port_group_put(struct port_group *pg)
{
	mutex_lock(&groups_lock);
	kref_put(&pg->kref, port_group_release);
	mutex_unlock(&groups_lock);
}

int port_group_publish(int id)
{
	struct port_group *pg = kzalloc(sizeof(*pg), GFP_KERNEL);
	int err;

	if (!pg)
		return -ENOMEM;
	kref_init(&pg->kref);
	pg->id = id;
	mutex_lock(&groups_lock);
	err = idr_alloc(&group_ids, pg, 1, 0, GFP_KERNEL);
	if (err < 0)
		goto free;
	mutex_unlock(&groups_lock);
	return err;

free:
	mutex_unlock(&groups_lock);
	kfree(pg);
	return err;
}

int port_group_publish_named(int id, const char *name)
{
	struct port_group *pg = kzalloc(sizeof(*pg), GFP_KERNEL);
	int err;

	if (!pg)
		return -ENOMEM;
	kref_init(&pg->kref);
	mutex_lock(&groups_lock);
	pg->id = idr_alloc(&group_ids, pg, 1, 0, GFP_KERNEL);
	if (pg->id < 0) {
		err = pg->id;
		goto free;
	}
	pg->buf = kzalloc(64, GFP_KERNEL);
	if (!pg->buf || !name) {
		err = -ENOMEM;
		goto remove;
	}
	mutex_unlock(&groups_lock);
	return pg->id;

remove:
	idr_remove(&group_ids, pg->id);
free:
	kfree(pg->buf);
	kfree(pg);
	mutex_unlock(&groups_lock);
	return err;
}
