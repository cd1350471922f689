/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: torvalds/linux commit
 * dcf69599c47f29ce0a99117eb3f9ddcd2c4e78b6 "parisc: kernel: replace kfree()
 * with put_device() in create_tree_node()", arch/parisc/kernel/drivers.c,
 * create_tree_node().  device_register() initialises the device's
 * reference count even when it fails; the error path then frees the
 * device with kfree() instead of dropping the reference with put_device(),
 * freeing it outside its release function.
 */
#include <linux/kref.h>
#include <linux/slab.h>
#include "kernel_shim.h"

struct device { struct kref kref; struct device *parent; const void *bus; unsigned long long *dma_mask; };
struct parisc_device { struct device dev; char hw_path; int hw_type; unsigned long long dma_mask; };

extern const int parisc_bus_type;
int device_add(struct device *dev);
void setup_bus_id(struct parisc_device *padev);

static void parisc_device_release(struct kref *kref)
{
	struct device *dev = container_of(kref, struct device, kref);

	kfree(container_of(dev, struct parisc_device, dev));
}

void put_device(struct device *dev)
{
	if (dev)
		kref_put(&dev->kref, parisc_device_release);
}

/* As the driver core's: initialise (count 1), then add. */
int device_register(struct device *dev)
{
	kref_init(&dev->kref);
	return device_add(dev);
}

struct parisc_device *create_tree_node(char id, struct device *parent)
{
	struct parisc_device *dev = kzalloc(sizeof(*dev), GFP_KERNEL);

	if (!dev)
		return NULL;

	dev->hw_path = id;
	dev->hw_type = -1;	/* HPHW_FAULTY */
	dev->dev.parent = parent;
	setup_bus_id(dev);
	dev->dev.bus = &parisc_bus_type;
	dev->dma_mask = 0xffffffffUL;
	dev->dev.dma_mask = &dev->dma_mask;

	if (device_register(&dev->dev)) {
		kfree(dev);	/* expect: rule 2 */
		return NULL;
	}
	return dev;
}
