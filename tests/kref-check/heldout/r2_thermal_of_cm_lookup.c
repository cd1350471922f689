/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: torvalds/linux commit
 * a1fe789a96fe47733c133134fd264cb7ca832395 "thermal/of: Fix reference leak
 * in thermal_of_cm_lookup()", drivers/thermal/thermal_of.c,
 * thermal_of_cm_lookup().  Each iteration resolves the "trip" phandle with
 * of_parse_phandle(), which returns a referenced node, and only compares
 * the pointer: the reference leaks on the continue and on the match.
 */
#include <linux/kref.h>
#include <linux/slab.h>
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

bool thermal_of_cm_lookup(struct device_node *cm_np, const struct thermal_trip *trip,
			  struct thermal_cooling_device *cdev, struct cooling_spec *c)
{
	struct device_node *child;

	for (child = of_get_next_child(cm_np, NULL); child; child = of_get_next_child(cm_np, child)) {
		struct device_node *tr_np;
		int count, i;

		tr_np = of_parse_phandle(child, "trip", 0);	/* expect: rule 2 */
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
