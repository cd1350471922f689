/* SPDX-License-Identifier: MIT */
/*
 * Fixed twin of r3_vfio_device_put.c (own code): torvalds/linux commit
 * 90b1253e4139776e8257914ae9e2292d0de2fecc, drivers/vfio/vfio.c.  The
 * final put is made with kref_put_mutex() on group->device_lock, so the
 * count reaching 0 and the unlink happen under the lock the lookup holds;
 * the release drops the lock it is called with.
 */
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include "kernel_shim.h"

struct device;
struct vfio_group { struct kref kref; struct mutex device_lock; struct list_head device_list; };
struct vfio_device {
	struct kref kref;
	struct device *dev;
	struct vfio_group *group;
	struct list_head group_next;
	void *device_data;
};

void vfio_group_get(struct vfio_group *group);
void vfio_group_put(struct vfio_group *group);

static void vfio_device_release(struct kref *kref)
{
	struct vfio_device *device = container_of(kref, struct vfio_device, kref);
	struct vfio_group *group = device->group;

	list_del(&device->group_next);
	mutex_unlock(&group->device_lock);
	kfree(device);
}

/* Device reference always implies a group reference */
void vfio_device_put(struct vfio_device *device)
{
	struct vfio_group *group = device->group;

	kref_put_mutex(&device->kref, vfio_device_release, &group->device_lock);
	vfio_group_put(group);
}

static void vfio_device_get(struct vfio_device *device)
{
	vfio_group_get(device->group);
	kref_get(&device->kref);
}

struct vfio_device *vfio_group_get_device(struct vfio_group *group, struct device *dev)
{
	struct vfio_device *device;

	mutex_lock(&group->device_lock);
	list_for_each_entry(device, &group->device_list, group_next) {
		if (device->dev == dev) {
			vfio_device_get(device);
			mutex_unlock(&group->device_lock);
			return device;
		}
	}
	mutex_unlock(&group->device_lock);
	return NULL;
}
