/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: torvalds/linux commit
 * 90b1253e4139776e8257914ae9e2292d0de2fecc "vfio: get rid of
 * vfio_device_put()/vfio_group_get_device* races", drivers/vfio/vfio.c,
 * vfio_device_put() and vfio_group_get_device().  The lookup walks
 * group->device_list under group->device_lock and takes a plain kref_get,
 * but the final put is a plain kref_put: the release only takes the lock
 * to unlink, so a lookup can find a device whose count already reached 0.
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

	mutex_lock(&group->device_lock);
	list_del(&device->group_next);
	mutex_unlock(&group->device_lock);
	kfree(device);
}

/* Device reference always implies a group reference */
void vfio_device_put(struct vfio_device *device)
{
	struct vfio_group *group = device->group;

	kref_put(&device->kref, vfio_device_release);	/* expect: rule 3 (the other half) */
	vfio_group_put(group);
}

static void vfio_device_get(struct vfio_device *device)
{
	vfio_group_get(device->group);
	kref_get(&device->kref);	/* expect: rule 3 */
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
