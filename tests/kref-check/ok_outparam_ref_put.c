/* SPDX-License-Identifier: MIT */
/* Rule 2, correct: an out-parameter documented to come back holding a
 * reference is put on every way out once the call succeeded (a failed
 * call, tested by its result, filled nothing), or kept in the controller
 * that puts it at teardown. */
#include <linux/kref.h>
#include <linux/slab.h>
#include "kernel_shim.h"

struct fw_node { struct kref kref; const char *label; };
struct ctl { struct fw_node *fw, *phy; int lanes; };

/*
 * Looks up the node a property points to.  On success *target is the
 * node, with a reference the caller must drop with fw_node_drop().
 */
int fw_node_follow(const struct fw_node *fw, const char *prop, struct fw_node **target);
void fw_node_drop(struct fw_node *fw);
int fw_node_read_u32(const struct fw_node *fw, const char *prop, int *val);

int ctl_count_lanes(struct ctl *c)
{
	struct fw_node *phy;
	int err;

	err = fw_node_follow(c->fw, "phy", &phy);
	if (err)
		return err;
	err = fw_node_read_u32(phy, "lanes", &c->lanes);
	fw_node_drop(phy);
	return err;
}

int ctl_attach_phy(struct ctl *c)
{
	struct fw_node *phy;

	if (fw_node_follow(c->fw, "phy", &phy))
		return -ENODEV;
	c->phy = phy;
	return 0;
}
