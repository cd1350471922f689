/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: torvalds/linux commit
 * 3466ea2cd6b66e4647a9af2381c0d0cd3d579354 "OPP: Don't drop opp->np
 * reference while it is still in use", drivers/opp/of.c,
 * _opp_add_static_v2() and _of_add_opp_table_v2().  Each OPP keeps the
 * device-tree node in its long-lived field opp->np for its whole life, but
 * takes no reference: the child iterator of the caller drops the only one
 * on the next step.  of_node_get/of_node_put written here with a kref.
 */
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/slab.h>
#include "kernel_shim.h"

struct device;
struct device_node { struct kref kref; const char *name; };
struct opp_table { struct list_head opp_list; struct device_node *np; };
struct dev_pm_opp {
	struct kref kref;
	struct list_head node;
	struct opp_table *opp_table;
	struct device_node *np;
	unsigned long rate;
};

/* Both return the next available child with a reference, and put prev. */
struct device_node *of_get_next_available_child(struct device_node *np, struct device_node *prev);
struct dev_pm_opp *_opp_allocate(struct opp_table *opp_table);
int _opp_add(struct device *dev, struct dev_pm_opp *new_opp, struct opp_table *opp_table);
int _read_rate(struct dev_pm_opp *new_opp, struct device_node *np);
void of_node_put(struct device_node *np);

static void _opp_kref_release(struct kref *kref)
{
	struct dev_pm_opp *opp = container_of(kref, struct dev_pm_opp, kref);

	list_del(&opp->node);
	kfree(opp);
}

static struct dev_pm_opp *_opp_add_static_v2(struct opp_table *opp_table,
					     struct device *dev, struct device_node *np)
{
	struct dev_pm_opp *new_opp;
	int ret;

	new_opp = _opp_allocate(opp_table);
	if (!new_opp)
		return ERR_PTR(-ENOMEM);

	ret = _read_rate(new_opp, np);
	if (ret < 0)
		goto free_opp;

	new_opp->np = np;	/* expect: rule 1 */

	ret = _opp_add(dev, new_opp, opp_table);
	if (ret)
		goto free_opp;
	return new_opp;

free_opp:
	kref_put(&new_opp->kref, _opp_kref_release);
	return ERR_PTR(ret);
}

int _of_add_opp_table_v2(struct device *dev, struct opp_table *opp_table)
{
	struct device_node *np;
	struct dev_pm_opp *opp;

	for (np = of_get_next_available_child(opp_table->np, NULL); np;
	     np = of_get_next_available_child(opp_table->np, np)) {
		opp = _opp_add_static_v2(opp_table, dev, np);
		if (IS_ERR(opp)) {
			of_node_put(np);
			return PTR_ERR(opp);
		}
	}
	return 0;
}
