/* SPDX-License-Identifier: MIT */
/*
 * Fixed twin of r2_virtio_pci_release_dev.c (own code): torvalds/linux
 * commit 63bd62a08ca45a0c804c3c89777edc7f76a2d6da,
 * drivers/virtio/virtio_pci.c.  The memory is freed in the release
 * callback, once the device is gone; remove() no longer frees it.
 */
#include <linux/kref.h>
#include <linux/slab.h>
#include "kernel_shim.h"

struct device { struct kref kref; void (*release)(struct device *dev); };
struct virtio_device { struct device dev; int index; };
struct pci_dev { void *driver_data; };
struct virtio_pci_device { struct virtio_device vdev; struct pci_dev *pci_dev; void *ioaddr; };

void unregister_virtio_device(struct virtio_device *dev);	/* drops the initial reference */
void vp_del_vqs(struct virtio_device *vdev);
void pci_iounmap(struct pci_dev *dev, void *addr);
void pci_release_regions(struct pci_dev *dev);
void pci_disable_device(struct pci_dev *dev);
void *pci_get_drvdata(struct pci_dev *pdev);

static struct virtio_pci_device *to_vp_device(struct virtio_device *vdev)
{
	return container_of(vdev, struct virtio_pci_device, vdev);
}

static void virtio_pci_release_dev(struct device *_d)
{
	struct virtio_device *vdev = container_of(_d, struct virtio_device, dev);
	struct virtio_pci_device *vp_dev = to_vp_device(vdev);

	/* the count lives in this memory: free it only here */
	kfree(vp_dev);
}

void virtio_pci_probe_setup(struct virtio_pci_device *vp_dev)
{
	vp_dev->vdev.dev.release = virtio_pci_release_dev;
}

void virtio_pci_remove(struct pci_dev *pci_dev)
{
	struct virtio_pci_device *vp_dev = pci_get_drvdata(pci_dev);

	unregister_virtio_device(&vp_dev->vdev);
	vp_del_vqs(&vp_dev->vdev);
	pci_iounmap(pci_dev, vp_dev->ioaddr);
	pci_release_regions(pci_dev);
	pci_disable_device(pci_dev);
}

struct virtio_pci_device *vp_from_vdev(struct virtio_device *vdev)
{
	return to_vp_device(vdev);
}
