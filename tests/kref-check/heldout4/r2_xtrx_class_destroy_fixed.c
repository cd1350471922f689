/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: myriadrf/xtrx_linux_pcie_drv
 * commit d57c4ab20933c861cd5e322448c41c0d35b61ea0 "xtrx: Fix double free"
 * (PR #13), xtrx.c, xtrx_cleanup() and the error path of xtrx_init().
 * Both called class_unregister() and then class_destroy() on the same
 * class; class_destroy() itself unregisters, so the class's kobject is put
 * twice ("refcount_t: underflow; use-after-free" in kobject_put on rmmod).
 * The fix keeps only class_destroy().  The class's kobject count written
 * with struct kref.
 */
#include <linux/kref.h>
#include <linux/slab.h>
#include "kernel_shim.h"

struct class {
	const char *name;
	struct kref kref;
};

static struct class *xtrx_class;

/* Allocates and registers the "xtrx" class (one reference), or an ERR_PTR. */
extern struct class *class_create(const char *name);
extern int alloc_chrdev_region(unsigned int *dev, unsigned int first, unsigned int count, const char *name);
extern void unregister_chrdev_region(unsigned int dev, unsigned int count);
extern int pci_register_xtrx_driver(void);
extern void pci_unregister_xtrx_driver(void);

static unsigned int dev_first;
static unsigned int devices = 8;

static void class_release(struct kref *kref)
{
	kfree(container_of(kref, struct class, kref));
}

static void class_unregister(struct class *cls)
{
	kref_put(&cls->kref, class_release);
}

static void class_destroy(struct class *cls)
{
	if (IS_ERR_OR_NULL(cls))
		return;
	class_unregister(cls);
}

int xtrx_init(void)
{
	int err;

	err = alloc_chrdev_region(&dev_first, 0, devices, "xtrx");
	if (err)
		return err;
	xtrx_class = class_create("xtrx");
	if (IS_ERR(xtrx_class)) {
		err = PTR_ERR(xtrx_class);
		goto failed_setup_cdev;
	}
	err = pci_register_xtrx_driver();
	if (err)
		goto failed_pci;
	return 0;

failed_pci:
	class_destroy(xtrx_class);
failed_setup_cdev:
	unregister_chrdev_region(dev_first, devices);
	return err;
}

void xtrx_cleanup(void)
{
	pci_unregister_xtrx_driver();

	class_destroy(xtrx_class);

	unregister_chrdev_region(dev_first, devices);
}
