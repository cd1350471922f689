/* SPDX-License-Identifier: MIT */
/* Rule 2, kernel style: a firmware-node reference parser fills a struct
 * whose node member carries a reference.  Its declaration says nothing,
 * but the clock setup, which parses the same way, puts res.fwnode once
 * done: so the call hands back a reference.  The reset setup copies the
 * arguments out and returns without putting it. */
#include <linux/kref.h>
#include <linux/slab.h>
#include "kernel_shim.h"

struct fw_node { struct kref kref; const char *label; };
struct fw_ref_args { struct fw_node *fwnode; unsigned int nargs; unsigned long args[8]; };
struct ctl { struct fw_node *fw; unsigned long clk_id, rst_id, rst_mask; };

int fw_node_parse_ref(const struct fw_node *fw, const char *prop, const char *cells,
		      unsigned int nargs, unsigned int index, struct fw_ref_args *out);
void fw_node_drop(struct fw_node *fw);

static int ctl_setup_clock(struct ctl *c)
{
	struct fw_ref_args res;
	int err = fw_node_parse_ref(c->fw, "clocks", "#clock-cells", 0, 0, &res);

	if (err < 0)
		return err;
	c->clk_id = res.nargs ? res.args[0] : 0;
	fw_node_drop(res.fwnode);
	return 0;
}

static int ctl_setup_reset(struct ctl *c)
{
	struct fw_ref_args res;

	if (fw_node_parse_ref(c->fw, "resets", "#reset-cells", 0, 0, &res) < 0)	/* expect: rule 2 */
		return -ENOENT;
	c->rst_id = res.args[0];
	c->rst_mask = res.nargs > 1 ? res.args[1] : ~0UL;
	return 0;
}

int ctl_init(struct ctl *c)
{
	int err = ctl_setup_clock(c);

	return err ? err : ctl_setup_reset(c);
}
