/* SPDX-License-Identifier: MIT */
/*
 * Project: torvalds/linux
 * Path: drivers/gpu/drm/xe/xe_nvm.c
 * Fix commit: a3187c0c2bbd947ffff97f90d077ac88f9c2a215
 * Bug: when auxiliary_device_add() fails, xe_nvm_init() drops the device's
 * reference with auxiliary_device_uninit() (whose release frees nvm) and
 * then jumps to the shared error label that kfree()s nvm again.
 *
 * The device's kobject count is a struct kref here: device_initialize()
 * is kref_init, put_device() is kref_put with the device's release.
 */
#include <stdbool.h>
#include <stddef.h>
#include <linux/kref.h>
#include <linux/slab.h>
#include "kernel_shim.h"

struct device {
	struct kref kref;
	struct device *parent;
	void (*release)(struct device *dev);
};

struct auxiliary_device {
	struct device dev;
	const char *name;
	unsigned int id;
};

struct intel_dg_nvm_dev {
	struct auxiliary_device aux_dev;
	bool writable_override;
};

struct xe_device {
	struct device *dev;
	struct intel_dg_nvm_dev *nvm;
	bool has_gsc_nvm;
	unsigned int id;
};

static void device_release(struct kref *kref)
{
	struct device *dev = container_of(kref, struct device, kref);

	dev->release(dev);
}

static void put_device(struct device *dev)
{
	kref_put(&dev->kref, device_release);
}

/* Checks the device, then device_initialize(): from here on only the
 * release may free it. */
static int auxiliary_device_init(struct auxiliary_device *auxdev)
{
	if (!auxdev->dev.parent || !auxdev->name)
		return -EINVAL;
	kref_init(&auxdev->dev.kref);
	return 0;
}

/* Drops the reference auxiliary_device_init() set up. */
static void auxiliary_device_uninit(struct auxiliary_device *auxdev)
{
	put_device(&auxdev->dev);
}

/* Registers the device on the auxiliary bus; on failure the caller still
 * holds the initial reference. */
extern int auxiliary_device_add(struct auxiliary_device *auxdev);
/* Reads the flash override strap; no references involved. */
extern bool xe_nvm_writable_override(struct xe_device *xe);

static void xe_nvm_release_dev(struct device *dev)
{
	struct auxiliary_device *aux =
		container_of(dev, struct auxiliary_device, dev);
	struct intel_dg_nvm_dev *nvm =
		container_of(aux, struct intel_dg_nvm_dev, aux_dev);

	kfree(nvm);
}

int xe_nvm_init(struct xe_device *xe)
{
	struct intel_dg_nvm_dev *nvm;
	struct auxiliary_device *aux_dev;
	int ret;

	if (!xe->has_gsc_nvm)
		return 0;

	if (xe->nvm)
		return -EFAULT;

	xe->nvm = kzalloc(sizeof(*nvm), GFP_KERNEL);
	if (!xe->nvm)
		return -ENOMEM;

	nvm = xe->nvm;
	nvm->writable_override = xe_nvm_writable_override(xe);

	aux_dev = &nvm->aux_dev;
	aux_dev->name = "nvm";
	aux_dev->id = xe->id;
	aux_dev->dev.parent = xe->dev;
	aux_dev->dev.release = xe_nvm_release_dev;

	ret = auxiliary_device_init(aux_dev);
	if (ret) {
		pr_err("xe-nvm aux init failed %d\n", ret);
		kfree(nvm);
		xe->nvm = NULL;
		return ret;
	}

	ret = auxiliary_device_add(aux_dev);
	if (ret) {
		pr_err("xe-nvm aux add failed %d\n", ret);
		auxiliary_device_uninit(aux_dev);
		xe->nvm = NULL;
		return ret;
	}
	return 0;
}
