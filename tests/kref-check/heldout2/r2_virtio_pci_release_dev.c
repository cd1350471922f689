/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: torvalds/linux commit
 * 63bd62a08ca45a0c804c3c89777edc7f76a2d6da "virtio_pci: defer kfree until
 * release callback" (id as read on an OpenWrt gitweb mirror),
 * drivers/virtio/virtio_pci.c, virtio_pci_remove() and
 * virtio_pci_release_dev().  The release callback of the embedded struct
 * device was empty and remove() freed the virtio_pci_device right after
 * unregistering it, while the device's count (kobject, written here with
 * struct kref) could still be held: a free outside the release function.
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
	/* empty: remove() frees the memory with the pci device */
	(void)_d;
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
	kfree(vp_dev);	/* expect: rule 2 */
}

struct virtio_pci_device *vp_from_vdev(struct virtio_device *vdev)
{
	return to_vp_device(vdev);
}
