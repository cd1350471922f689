/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: torvalds/linux commit
 * 584b457f4166293bdfa50f930228e9fb91a38392 "phy: ti: j721e-wiz: Fix device
 * node reference leak in wiz_get_lane_phy_types()",
 * drivers/phy/ti/phy-j721e-wiz.c, wiz_get_lane_phy_types().  The "serdes"
 * child that of_get_child_by_name() returns with a reference is never put:
 * neither on the error return inside the child loop nor on the normal
 * return.
 */
#include <linux/kref.h>
#include <linux/slab.h>
#include "kernel_shim.h"

struct device_node { struct kref kref; const char *name; };
struct device { struct device_node *of_node; };
struct wiz { unsigned int lane_phy_type[8]; };

/* Both return a node with a reference; of_get_next_child() puts @prev. */
struct device_node *of_get_child_by_name(const struct device_node *np, const char *name);
struct device_node *of_get_next_child(const struct device_node *np, struct device_node *prev);
int of_node_name_eq(const struct device_node *np, const char *name);
int of_property_read_u32(const struct device_node *np, const char *prop, unsigned int *out);

#define for_each_child_of_node(parent, child) \
	for (child = of_get_next_child(parent, NULL); child; child = of_get_next_child(parent, child))

static void of_node_release(struct kref *kref)
{
	kfree(container_of(kref, struct device_node, kref));
}

void of_node_put(struct device_node *np)
{
	if (np)
		kref_put(&np->kref, of_node_release);
}

int wiz_get_lane_phy_types(struct device *dev, struct wiz *wiz)
{
	struct device_node *serdes, *subnode;

	serdes = of_get_child_by_name(dev->of_node, "serdes");
	if (!serdes) {
		pr_err("%s: Getting \"serdes\"-node failed\n", __func__);
		return -EINVAL;
	}

	for_each_child_of_node(serdes, subnode) {
		unsigned int reg, num_lanes = 1, phy_type = 0, i;
		int ret;

		if (!(of_node_name_eq(subnode, "phy") || of_node_name_eq(subnode, "link")))
			continue;

		ret = of_property_read_u32(subnode, "reg", &reg);
		if (ret) {
			of_node_put(subnode);
			pr_err("%s: Reading \"reg\" from failed: %d\n", __func__, ret);
			return ret;	/* expect: rule 2 */
		}
		of_property_read_u32(subnode, "cdns,num-lanes", &num_lanes);
		of_property_read_u32(subnode, "cdns,phy-type", &phy_type);
		for (i = reg; i < reg + num_lanes && i < 8; i++)
			wiz->lane_phy_type[i] = phy_type;
	}

	return 0;	/* expect: rule 2 */
}
