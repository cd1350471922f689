/* SPDX-License-Identifier: MIT */
/* Rule 2: the same contract as ok_outparam_ref_put.c, documented on the
 * declaration (*target comes back with a reference); the lane count reads
 * the node and returns without dropping it. */
#include <linux/kref.h>
#include <linux/slab.h>
#include "kernel_shim.h"

struct fw_node { struct kref kref; const char *label; };
struct ctl { struct fw_node *fw; int lanes; };

/*
 * Looks up the node a property points to.  On success *target is the
 * node, with a reference the caller must drop with fw_node_drop().
 */
int fw_node_follow(const struct fw_node *fw, const char *prop, struct fw_node **target);
int fw_node_read_u32(const struct fw_node *fw, const char *prop, int *val);

int ctl_count_lanes(struct ctl *c)
{
	struct fw_node *phy;
	int err;

	err = fw_node_follow(c->fw, "phy", &phy);	/* expect: rule 2 */
	if (err)
		return err;
	return fw_node_read_u32(phy, "lanes", &c->lanes);
}
