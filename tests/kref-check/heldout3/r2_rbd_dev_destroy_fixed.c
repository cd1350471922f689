/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: torvalds/linux commit
 * dd5ac32d425f881624bfe59c8e00dd1c3ccc6bb1 (Ilya Dryomov, 2015-10-16),
 * drivers/block/rbd.c, rbd_dev_destroy(), rbd_dev_image_release(),
 * do_rbd_remove() and the device release callback.  struct rbd_device
 * embeds a struct device (kobject universe, unpredictable lifetime), but
 * earlier commits had moved the freeing of rbd_dev out of the release
 * callback into rbd_dev_image_release() -> rbd_dev_destroy(), which
 * kfree()s it right after the device is unregistered, while a sysfs
 * reader may still hold a reference on the device.  The fix makes
 * rbd_dev_destroy() a put_device() and the release callback the only
 * place that frees rbd_dev (where the fix also drops the module
 * reference).  The kobject's count written here with struct kref.
 */
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include "kernel_shim.h"

struct device { struct kref kref; void (*release)(struct device *dev); };
struct rbd_client; struct rbd_spec; struct rbd_options;
struct rbd_device {
	int dev_id;
	struct list_head node;
	struct rbd_client *rbd_client;
	struct rbd_spec *spec;
	struct rbd_options *opts;
	struct device dev;
};
#define dev_to_rbd_dev(d)	container_of(d, struct rbd_device, dev)

static DEFINE_SPINLOCK(rbd_dev_list_lock);
static LIST_HEAD(rbd_dev_list);

void rbd_put_client(struct rbd_client *rbdc);
void rbd_spec_put(struct rbd_spec *spec);
/* Tear down the gendisk and the major; give back the dev id. */
void rbd_free_disk(struct rbd_device *rbd_dev);
void rbd_dev_id_put(struct rbd_device *rbd_dev);
/* Drops the parent image, the header and its name; the watch is gone. */
void rbd_dev_unprobe(struct rbd_device *rbd_dev);
void device_del(struct device *dev);	/* removes it from sysfs */

static void device_release(struct kref *kref)
{
	struct device *dev = container_of(kref, struct device, kref);

	dev->release(dev);
}

void put_device(struct device *dev)
{
	kref_put(&dev->kref, device_release);
}

/* The struct device's release callback: the only place rbd_dev is freed. */
static void rbd_dev_release(struct device *dev)
{
	struct rbd_device *rbd_dev = dev_to_rbd_dev(dev);

	rbd_put_client(rbd_dev->rbd_client);
	rbd_spec_put(rbd_dev->spec);
	kfree(rbd_dev->opts);
	kfree(rbd_dev);
}

static void rbd_dev_device_release(struct rbd_device *rbd_dev)
{
	rbd_free_disk(rbd_dev);
	rbd_dev_id_put(rbd_dev);
}

/* Usable both before and after the device is registered. */
static void rbd_dev_destroy(struct rbd_device *rbd_dev)
{
	if (rbd_dev)
		put_device(&rbd_dev->dev);
}

static void rbd_dev_image_release(struct rbd_device *rbd_dev)
{
	rbd_dev_unprobe(rbd_dev);
}

struct rbd_device *rbd_dev_create(struct rbd_client *rbdc, struct rbd_spec *spec)
{
	struct rbd_device *rbd_dev = kzalloc(sizeof(*rbd_dev), GFP_KERNEL);
	if (!rbd_dev)
		return NULL;
	kref_init(&rbd_dev->dev.kref);
	rbd_dev->dev.release = rbd_dev_release;
	rbd_dev->rbd_client = rbdc;
	rbd_dev->spec = spec;
	return rbd_dev;
}

int do_rbd_remove(int dev_id)
{
	struct rbd_device *rbd_dev, *found = NULL;

	spin_lock(&rbd_dev_list_lock);
	list_for_each_entry(rbd_dev, &rbd_dev_list, node) {
		if (rbd_dev->dev_id == dev_id) {
			found = rbd_dev;
			list_del(&found->node);
			break;
		}
	}
	spin_unlock(&rbd_dev_list_lock);
	if (!found)
		return -ENOENT;

	device_del(&found->dev);
	rbd_dev_device_release(found);
	rbd_dev_image_release(found);
	rbd_dev_destroy(found);
	return 0;
}
