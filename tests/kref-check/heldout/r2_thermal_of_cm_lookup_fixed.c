/* SPDX-License-Identifier: MIT */
/*
 * Fixed twin of r2_thermal_of_cm_lookup.c (own code): torvalds/linux
 * commit a1fe789a96fe47733c133134fd264cb7ca832395,
 * drivers/thermal/thermal_of.c.  tr_np is declared with
 * __free(device_node), so its reference is put whenever it goes out of
 * scope.
 */
#include <linux/kref.h>
#include <linux/slab.h>
#include <linux/cleanup.h>
#include "kernel_shim.h"

struct device_node { struct kref kref; const char *name; };
struct thermal_trip { void *priv; };
struct thermal_cooling_device;
struct cooling_spec { unsigned long upper, lower, weight; };

/* Both return a node with a reference; of_get_next_child() puts @prev. */
struct device_node *of_parse_phandle(const struct device_node *np, const char *name, int index);
struct device_node *of_get_next_child(const struct device_node *np, struct device_node *prev);
int of_count_phandle_with_args(const struct device_node *np, const char *list, const char *cells);
bool thermal_of_get_cooling_spec(struct device_node *map_np, int index,
				 struct thermal_cooling_device *cdev, struct cooling_spec *c);

static void of_node_release(struct kref *kref)
{
	kfree(container_of(kref, struct device_node, kref));
}

void of_node_put(struct device_node *np)
{
	if (np)
		kref_put(&np->kref, of_node_release);
}

DEFINE_FREE(device_node, struct device_node *, if (_T) of_node_put(_T))

bool thermal_of_cm_lookup(struct device_node *cm_np, const struct thermal_trip *trip,
			  struct thermal_cooling_device *cdev, struct cooling_spec *c)
{
	struct device_node *child;

	for (child = of_get_next_child(cm_np, NULL); child; child = of_get_next_child(cm_np, child)) {
		int count, i;

		struct device_node *tr_np __free(device_node) = of_parse_phandle(child, "trip", 0);
		if (tr_np != trip->priv)
			continue;

		/* The trip has been found, look up the cdev. */
		count = of_count_phandle_with_args(child, "cooling-device", "#cooling-cells");
		if (count <= 0)
			pr_err("Add a cooling_device property with at least one device\n");

		for (i = 0; i < count; i++) {
			if (thermal_of_get_cooling_spec(child, i, cdev, c)) {
				of_node_put(child);
				return true;
			}
		}
	}
	return false;
}
