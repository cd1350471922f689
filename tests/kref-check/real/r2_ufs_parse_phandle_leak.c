/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: torvalds/linux commit
 * a3435afba87dc6cd83f5595e7607f3c40f93ef01 "scsi: ufs: host: Hold reference
 * returned by of_parse_phandle()", drivers/scsi/ufs/ufshcd-pltfrm.c,
 * ufshcd_populate_vreg().  of_parse_phandle() returns the node with a
 * reference; it was only tested for NULL and the reference was never put.
 */
#include <linux/kref.h>
#include <linux/slab.h>
#include "kernel_shim.h"

struct device_node { struct kref kref; const char *name; };
struct device { struct device_node *of_node; };

struct device_node *of_parse_phandle(const struct device_node *np, const char *name, int index);
int ufshcd_get_vreg(struct device *dev, const char *name);

int ufshcd_populate_vreg(struct device *dev, const char *name)
{
	struct device_node *np = dev->of_node;

	if (!of_parse_phandle(np, name, 0))	/* expect: rule 2 */
		return 0;	/* assume the regulator is always on */
	return ufshcd_get_vreg(dev, name);
}
