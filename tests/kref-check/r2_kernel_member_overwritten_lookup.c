/* SPDX-License-Identifier: MIT */
/* Rule 2: kernel style.  Reloading a device's firmware stores the result
 * of the lookup (a new reference) over dev->fw while dev->fw still holds
 * the reference on the old image, which it has just read: that reference
 * is lost, and the old image is never freed. */
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
	dev->fw = fw_image_find(dev->wanted);	/* expect: rule 2 */
	return dev->fw ? 0 : -ENOENT;
}
