/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (not a copy) of a refcount bug fixed in Linux.
 *
 * Repository: torvalds/linux
 * Commit:     9dae65913b32d05dbc8ff4b8a6bf04a0e49a8eb6
 * Title:      "memory: mtk-smi: fix device leak on larb probe"
 * Path:       drivers/memory/mtk-smi.c
 * Function:   mtk_smi_larb_remove() (reference taken in
 *             mtk_smi_device_link_common() at probe)
 *
 * At probe the larb looks up its SMI common device with
 * of_find_device_by_node(), which returns the device with a reference, and
 * keeps it in larb->smi_common_dev for the larb's lifetime (device link,
 * runtime PM).  An earlier fix put it on the probe's error paths, but the
 * remove callback only removed the device link and never dropped the
 * stored reference: every unbind leaked the SMI common device.  Fixed by
 * put_device(larb->smi_common_dev) in mtk_smi_larb_remove().
 *
 * The device's kobject count is modelled with a struct kref.
 */
#include <linux/kref.h>
#include <linux/slab.h>
#include "kernel_shim.h"

struct device_node;
struct device_link;

struct device {
	struct kref kref;
	struct device_node *of_node;
	void *driver_data;
	void (*release)(struct device *dev);
};

struct platform_device {
	struct device dev;
};

struct mtk_smi_larb {
	struct device *dev;
	struct device *smi_common_dev;	/* holds a reference */
	struct device_link *link;
};

static void device_release(struct kref *kref)
{
	struct device *dev = container_of(kref, struct device, kref);

	dev->release(dev);
}

void put_device(struct device *dev)
{
	if (dev)
		kref_put(&dev->kref, device_release);
}

/* the platform device for np with a reference, or NULL */
extern struct platform_device *of_find_device_by_node(struct device_node *np);
/* the "mediatek,smi" phandle of np, with a node reference (put inside) */
extern struct device_node *of_parse_phandle_smi(struct device_node *np);
extern void of_node_put(struct device_node *np);
extern struct device_link *device_link_add(struct device *consumer,
					   struct device *supplier);
extern void device_link_remove(struct device *consumer, struct device *supplier);
extern void pm_runtime_disable(struct device *dev);
extern void component_del(struct device *dev);

static int mtk_smi_device_link_common(struct device *dev,
				      struct device **com_dev)
{
	struct platform_device *smi_com_pdev;
	struct device_node *smi_com_node;
	struct device *smi_com_dev;
	struct device_link *link;

	smi_com_node = of_parse_phandle_smi(dev->of_node);
	if (!smi_com_node)
		return -EINVAL;

	smi_com_pdev = of_find_device_by_node(smi_com_node);
	of_node_put(smi_com_node);
	if (!smi_com_pdev)
		return -ENODEV;

	smi_com_dev = &smi_com_pdev->dev;
	link = device_link_add(dev, smi_com_dev);
	if (!link) {
		put_device(smi_com_dev);
		return -ENODEV;
	}
	*com_dev = smi_com_dev;
	return 0;
}

static int mtk_smi_larb_probe(struct platform_device *pdev)
{
	struct mtk_smi_larb *larb;
	struct device *dev = &pdev->dev;
	int ret;

	larb = kzalloc(sizeof(*larb), GFP_KERNEL);
	if (!larb)
		return -ENOMEM;
	larb->dev = dev;

	ret = mtk_smi_device_link_common(dev, &larb->smi_common_dev);
	if (ret < 0) {
		kfree(larb);
		return ret;
	}
	dev->driver_data = larb;
	return 0;
}

static void mtk_smi_larb_remove(struct platform_device *pdev)
{
	struct mtk_smi_larb *larb = pdev->dev.driver_data;

	device_link_remove(&pdev->dev, larb->smi_common_dev);
	pm_runtime_disable(&pdev->dev);
	component_del(&pdev->dev);
	put_device(larb->smi_common_dev);
	kfree(larb);
}

int (*larb_probe_cb)(struct platform_device *) = mtk_smi_larb_probe;
void (*larb_remove_cb)(struct platform_device *) = mtk_smi_larb_remove;
