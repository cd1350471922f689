/* SPDX-License-Identifier: MIT */
/* Rule 2 kept: kernel style.  The old image's reference is put before
 * dev->fw takes the new one.  The twin of
 * r2_kernel_member_overwritten_lookup.c. */
#include <linux/kref.h>
#include <linux/slab.h>
#include "kernel_shim.h"

struct fw_image { struct kref kref; int version; };
struct mydev { struct fw_image *fw; int wanted; };

/**
 * fw_image_find - find a loaded firmware image
 * @version: the version wanted
 *
 * Return: the image with its refcount incremented, or NULL.
 */
extern struct fw_image *fw_image_find(int version);

static void fw_image_release(struct kref *kref)
{
	kfree(container_of(kref, struct fw_image, kref));
}

void fw_image_put(struct fw_image *img)
{
	kref_put(&img->kref, fw_image_release);
}

int mydev_reload(struct mydev *dev)
{
	if (dev->fw->version == dev->wanted)
		return 0;
	fw_image_put(dev->fw);
	dev->fw = fw_image_find(dev->wanted);
	return dev->fw ? 0 : -ENOENT;
}
