/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (not a copy) of a refcount bug fixed in Linux.
 *
 * Repository: torvalds/linux
 * Commit:     01464a3fdf91c041a381d93a1b6fefbdb819a46f
 * Title:      "PCI/portdrv: Fix potential resource leak"
 * Path:       drivers/pci/pcie/portdrv.c
 * Function:   pcie_port_remove_service()
 *
 * pcie_port_probe_service() takes a reference on the service device with
 * get_device() every time a service driver binds.  The matching
 * put_device() in pcie_port_remove_service() sat inside the
 * "if (driver && driver->remove)" block, so unbinding a service driver
 * with no remove callback leaked the device reference (since 2.6.12).
 * Fixed by moving put_device() out of the conditional.
 *
 * The device's kobject count is modelled with a struct kref.
 */
#include <linux/kref.h>
#include <linux/slab.h>
#include "kernel_shim.h"

struct device_driver;

struct device {
	struct kref kref;
	struct device_driver *driver;
	void (*release)(struct device *dev);
};

struct pcie_device {
	int irq;
	struct device device;
};

struct pcie_port_service_driver {
	int (*probe)(struct pcie_device *dev);
	void (*remove)(struct pcie_device *dev);
	struct device_driver *driver;
};

#define to_pcie_device(d) container_of(d, struct pcie_device, device)

static void device_release(struct kref *kref)
{
	struct device *dev = container_of(kref, struct device, kref);

	dev->release(dev);
}

struct device *get_device(struct device *dev)
{
	if (dev)
		kref_get(&dev->kref);
	return dev;
}

void put_device(struct device *dev)
{
	if (dev)
		kref_put(&dev->kref, device_release);
}

/* the bound service driver of dev, or NULL */
extern struct pcie_port_service_driver *to_service_driver(struct device_driver *drv);

static int pcie_port_probe_service(struct device *dev)
{
	struct pcie_device *pciedev;
	struct pcie_port_service_driver *driver;
	int status;

	if (!dev || !dev->driver)
		return -ENODEV;

	driver = to_service_driver(dev->driver);
	if (!driver || !driver->probe)
		return -ENODEV;

	pciedev = to_pcie_device(dev);
	status = driver->probe(pciedev);
	if (status)
		return status;

	get_device(dev);
	return 0;
}

static int pcie_port_remove_service(struct device *dev)
{
	struct pcie_device *pciedev;
	struct pcie_port_service_driver *driver;

	if (!dev || !dev->driver)
		return 0;

	pciedev = to_pcie_device(dev);
	driver = to_service_driver(dev->driver);
	if (driver && driver->remove)
		driver->remove(pciedev);

	put_device(dev);
	return 0;
}

int (*pcie_probe_cb)(struct device *) = pcie_port_probe_service;
int (*pcie_remove_cb)(struct device *) = pcie_port_remove_service;
