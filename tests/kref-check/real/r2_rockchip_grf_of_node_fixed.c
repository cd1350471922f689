/* SPDX-License-Identifier: MIT */
/*
 * Fixed twin of r2_rockchip_grf_of_node.c (own code): torvalds/linux commit
 * 24ed11ee5bacf9a9aca18fc6b47667c7f38d578b, drivers/soc/rockchip/grf.c.
 * The error return puts the node the iterator handed out.
 */
#include <linux/kref.h>
#include <linux/slab.h>
#include "kernel_shim.h"

struct device_node { struct kref kref; const char *name; struct device_node *next; };
struct regmap;

struct device_node *of_find_matching_node(struct device_node *from, const void *matches);
struct regmap *syscon_node_to_regmap(struct device_node *np);
int grf_apply_values(struct regmap *grf, struct device_node *np);
extern const void *grf_matches;

static void of_node_release(struct kref *kref)
{
	kfree(container_of(kref, struct device_node, kref));
}

static void of_node_put(struct device_node *np)
{
	if (np)
		kref_put(&np->kref, of_node_release);
}

int rockchip_grf_init(void)
{
	struct device_node *np = NULL;
	struct regmap *grf;

	while ((np = of_find_matching_node(np, grf_matches))) {
		grf = syscon_node_to_regmap(np);
		if (IS_ERR(grf)) {
			pr_err("%s: could not get grf syscon\n", np->name);
			of_node_put(np);
			return PTR_ERR(grf);
		}
		grf_apply_values(grf, np);
	}
	return 0;
}
