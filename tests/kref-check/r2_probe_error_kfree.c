/* SPDX-License-Identifier: MIT */
/* Rule 2, as in many driver probe functions: once kref_init has run and
 * the device is registered, the error path frees it with kfree instead of
 * dropping the reference. */
#include <linux/kref.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include "kernel_shim.h"

struct skel_dev {
	struct kref kref;
	struct mutex io_mutex;
	unsigned char *bulk_in_buffer;
	size_t bulk_in_size;
};

int register_minor(struct skel_dev *dev);

static void skel_delete(struct kref *kref)
{
	struct skel_dev *dev = container_of(kref, struct skel_dev, kref);

	kfree(dev->bulk_in_buffer);
	kfree(dev);
}

int skel_probe(size_t size)
{
	struct skel_dev *dev;
	int retval = -ENOMEM;

	dev = kzalloc(sizeof(*dev), GFP_KERNEL);
	if (!dev)
		return -ENOMEM;
	kref_init(&dev->kref);
	mutex_init(&dev->io_mutex);

	dev->bulk_in_size = size;
	dev->bulk_in_buffer = kmalloc(size, GFP_KERNEL);
	if (!dev->bulk_in_buffer)
		goto error;
	retval = register_minor(dev);
	if (retval)
		goto error;
	return 0;

error:
	kfree(dev->bulk_in_buffer);
	kfree(dev);	/* expect: rule 2 */
	return retval;
}
