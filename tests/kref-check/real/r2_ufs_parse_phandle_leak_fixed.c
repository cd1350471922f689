/* SPDX-License-Identifier: MIT */
/*
 * Fixed twin of r2_ufs_parse_phandle_leak.c (own code): torvalds/linux
 * commit a3435afba87dc6cd83f5595e7607f3c40f93ef01,
 * drivers/scsi/ufs/ufshcd-pltfrm.c.  The returned node is held in a
 * variable and put once its existence has been checked.
 */
#include <linux/kref.h>
#include <linux/slab.h>
#include "kernel_shim.h"

struct device_node { struct kref kref; const char *name; };
struct device { struct device_node *of_node; };

struct device_node *of_parse_phandle(const struct device_node *np, const char *name, int index);
int ufshcd_get_vreg(struct device *dev, const char *name);

static void of_node_release(struct kref *kref)
{
	kfree(container_of(kref, struct device_node, kref));
}

static void of_node_put(struct device_node *np)
{
	if (np)
		kref_put(&np->kref, of_node_release);
}

static bool phandle_exists(const struct device_node *np, const char *name, int index)
{
	struct device_node *parse_np = of_parse_phandle(np, name, index);

	if (parse_np)
		of_node_put(parse_np);
	return parse_np != NULL;
}

int ufshcd_populate_vreg(struct device *dev, const char *name)
{
	struct device_node *np = dev->of_node;

	if (!phandle_exists(np, name, 0))
		return 0;	/* assume the regulator is always on */
	return ufshcd_get_vreg(dev, name);
}
