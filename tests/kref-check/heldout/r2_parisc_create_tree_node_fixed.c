/* SPDX-License-Identifier: MIT */
/*
 * Fixed twin of r2_parisc_create_tree_node.c (own code): torvalds/linux
 * commit dcf69599c47f29ce0a99117eb3f9ddcd2c4e78b6,
 * arch/parisc/kernel/drivers.c.  A failed device_register() is undone with
 * put_device(), which frees the device through its release function.
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
		put_device(&dev->dev);
		return NULL;
	}
	return dev;
}
