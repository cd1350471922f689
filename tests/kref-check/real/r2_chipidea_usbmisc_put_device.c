/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: torvalds/linux commit
 * 83a43ff80a566de8718dfc6565545a0080ec1fb5 "usb: chipidea: ci_hdrc_imx: add
 * missing put_device() call in usbmisc_get_init_data()",
 * drivers/usb/chipidea/ci_hdrc_imx.c.  of_find_device_by_node() returns the
 * misc device with a reference; the early return taken when the device has
 * no driver data yet left without putting it.
 */
#include <linux/kref.h>
#include <linux/slab.h>
#include "kernel_shim.h"

struct device { struct kref kref; void *driver_data; };
struct platform_device { struct device dev; };
struct imx_usbmisc_data { struct device *dev; int index; };
struct device_node;

struct platform_device *of_find_device_by_node(struct device_node *np);

static void device_release(struct kref *kref)
{
	kfree(container_of(kref, struct device, kref));
}

static void put_device(struct device *dev)
{
	kref_put(&dev->kref, device_release);
}

struct imx_usbmisc_data *usbmisc_get_init_data(struct device_node *np)
{
	struct imx_usbmisc_data *data = kzalloc(sizeof(*data), GFP_KERNEL);
	struct platform_device *misc_pdev;

	if (!data)
		return ERR_PTR(-ENOMEM);
	misc_pdev = of_find_device_by_node(np);
	if (!misc_pdev || !misc_pdev->dev.driver_data) {
		kfree(data);
		return ERR_PTR(-EPROBE_DEFER);	/* expect: rule 2 */
	}
	data->dev = &misc_pdev->dev;
	return data;
}

void usbmisc_put_init_data(struct imx_usbmisc_data *data)
{
	put_device(data->dev);
	kfree(data);
}
