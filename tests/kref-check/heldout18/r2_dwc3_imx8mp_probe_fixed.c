/* SPDX-License-Identifier: MIT */
/*
 * Project: torvalds/linux
 * Path: drivers/usb/dwc3/dwc3-imx8mp.c
 * Fix commit: 541288339b8cb8bb62be5ec0eab6c65e9dfc6055
 * Bug: when the dwc3 core has no driver data yet, dwc3_imx8mp_probe()
 * defers by jumping to the depopulate label, past put_dwc3: the reference
 * of_find_device_by_node() took on the core's platform device leaks.
 *
 * The device's count is a struct kref here: put_device() is kref_put with
 * the platform device's release.
 */
#include <stdbool.h>
#include <stddef.h>
#include <linux/kref.h>
#include "kernel_shim.h"

struct device_node;

struct device {
	struct kref kref;
	struct device_node *of_node;
	void *driver_data;
};

struct platform_device {
	struct device dev;
};

struct dwc3 {
	const void *glue_ops;
};

struct dwc3_imx8mp {
	struct device *dev;
	struct platform_device *dwc3;	/* counted: put in remove */
	int irq;
};

/* Frees the platform device when its last reference goes. */
extern void platform_device_release(struct kref *kref);

static void put_device(struct device *dev)
{
	kref_put(&dev->kref, platform_device_release);
}

static void *platform_get_drvdata(struct platform_device *pdev)
{
	return pdev->dev.driver_data;
}

/* Returns the child node with a reference (of_node_put drops it). */
extern struct device_node *of_get_compatible_child(struct device_node *np,
						   const char *compatible);
extern void of_node_put(struct device_node *np);
/* Creates the child platform devices; of_platform_depopulate() removes
 * them (it drops the bus's references, not the caller's). */
extern int of_platform_populate(struct device_node *np, struct device *parent);
extern void of_platform_depopulate(struct device *parent);
/* Returns the platform device of np with a reference taken for the
 * caller, or NULL. */
extern struct platform_device *of_find_device_by_node(struct device_node *np);
/* Requests the wakeup interrupt; no references involved. */
extern int dwc3_imx8mp_request_irq(struct dwc3_imx8mp *dwc3_imx);

extern const void *dwc3_imx_glue_ops;

int dwc3_imx8mp_probe(struct dwc3_imx8mp *dwc3_imx, struct device_node *node)
{
	struct device *dev = dwc3_imx->dev;
	struct device_node *dwc3_np;
	struct dwc3 *dwc3;
	int err;

	dwc3_np = of_get_compatible_child(node, "snps,dwc3");
	if (!dwc3_np)
		return -ENODEV;

	err = of_platform_populate(node, dev);
	if (err) {
		pr_err("failed to create dwc3 core\n");
		goto err_node_put;
	}

	dwc3_imx->dwc3 = of_find_device_by_node(dwc3_np);
	of_node_put(dwc3_np);
	if (!dwc3_imx->dwc3) {
		pr_err("failed to get dwc3 platform device\n");
		err = -ENODEV;
		goto depopulate;
	}

	dwc3 = platform_get_drvdata(dwc3_imx->dwc3);
	if (!dwc3) {
		err = -EPROBE_DEFER;
		goto put_dwc3;
	}

	dwc3->glue_ops = dwc3_imx_glue_ops;

	err = dwc3_imx8mp_request_irq(dwc3_imx);
	if (err) {
		pr_err("failed to request IRQ\n");
		goto put_dwc3;
	}

	return 0;

put_dwc3:
	put_device(&dwc3_imx->dwc3->dev);
depopulate:
	of_platform_depopulate(dev);
	return err;
err_node_put:
	of_node_put(dwc3_np);
	return err;
}

void dwc3_imx8mp_remove(struct dwc3_imx8mp *dwc3_imx)
{
	put_device(&dwc3_imx->dwc3->dev);
	of_platform_depopulate(dwc3_imx->dev);
}
