/* SPDX-License-Identifier: MIT */
/* Rule 2: open takes a reference for the file; its error return drops
 * nothing. */
#include <linux/kref.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include "kernel_shim.h"

struct vdev {
	struct kref kref;
	struct mutex lock;
	int open_count;
	char *name;
};

static void vdev_free(struct kref *kref)
{
	struct vdev *v = container_of(kref, struct vdev, kref);

	kfree(v->name);
	kfree(v);
}

int vdev_open(struct vdev *v)
{
	kref_get(&v->kref);
	mutex_lock(&v->lock);
	if (v->open_count > 8) {
		mutex_unlock(&v->lock);
		return -EBUSY;	/* expect: rule 2 */
	}
	v->open_count++;
	mutex_unlock(&v->lock);
	return 0;
}

int vdev_release(struct vdev *v)
{
	mutex_lock(&v->lock);
	v->open_count--;
	mutex_unlock(&v->lock);
	kref_put(&v->kref, vdev_free);
	return 0;
}
