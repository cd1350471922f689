/* SPDX-License-Identifier: MIT */
/*
 * Fixed twin of r2_chipidea_usbmisc_put_device.c (own code): torvalds/linux
 * commit 83a43ff80a566de8718dfc6565545a0080ec1fb5,
 * drivers/usb/chipidea/ci_hdrc_imx.c.  The no-driver-data return puts the
 * device it found.
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
	if (!misc_pdev) {
		kfree(data);
		return ERR_PTR(-EPROBE_DEFER);
	}
	if (!misc_pdev->dev.driver_data) {
		put_device(&misc_pdev->dev);
		kfree(data);
		return ERR_PTR(-EPROBE_DEFER);
	}
	data->dev = &misc_pdev->dev;
	return data;
}

void usbmisc_put_init_data(struct imx_usbmisc_data *data)
{
	put_device(data->dev);
	kfree(data);
}
