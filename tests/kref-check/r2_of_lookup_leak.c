/* SPDX-License-Identifier: MIT */
/* Rule 2, kernel style: the device-tree lookups return their node with a
 * reference.  One exit of a disjunction leaves with the node held (the
 * first term failing means the node is valid), and one caller only tests
 * the lookup's result and drops the pointer on the floor. */
#include <linux/kref.h>
#include <linux/slab.h>
#include "kernel_shim.h"

struct device_node { struct kref kref; const char *label; int nr_lanes; };

struct device_node *of_get_child_by_name(const struct device_node *np, const char *name);
struct device_node *of_parse_phandle(const struct device_node *np, const char *prop, int i);
int serdes_setup_lanes(struct device_node *lanes);

static void of_node_release(struct kref *kref)
{
	kfree(container_of(kref, struct device_node, kref));
}

static void of_node_put(struct device_node *np)
{
	if (np)
		kref_put(&np->kref, of_node_release);
}

int serdes_probe_lanes(struct device_node *np)
{
	struct device_node *lanes;
	int err;

	lanes = of_get_child_by_name(np, "lanes");
	if (!lanes || lanes->nr_lanes > 4)
		return -EINVAL;	/* expect: rule 2 */
	err = serdes_setup_lanes(lanes);
	of_node_put(lanes);
	return err;
}

int serdes_has_phy_supply(struct device_node *np)
{
	if (!of_parse_phandle(np, "phy-supply", 0))	/* expect: rule 2 */
		return 0;
	return 1;
}
