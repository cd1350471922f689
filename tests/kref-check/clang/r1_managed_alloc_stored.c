/* SPDX-License-Identifier: MIT */
/* Rule 1: a device-managed allocation belongs to the device (devres puts
 * it when the driver unbinds); the channel field, which holds a reference
 * its teardown puts, gets none. */
#include <linux/kref.h>
#include <linux/slab.h>
#include "kernel_shim.h"

struct clk_ctl { struct kref ref; int rate; };
struct chan { struct clk_ctl *clk; };

/* Allocates a managed clock control with one reference, owned by dev. */
extern struct clk_ctl *devm_clk_ctl_alloc(void *dev);

static void clk_ctl_release(struct kref *ref)
{
	kfree(container_of(ref, struct clk_ctl, ref));
}

void chan_teardown(struct chan *ch)
{
	kref_put(&ch->clk->ref, clk_ctl_release);
	ch->clk = NULL;
}

int chan_probe(struct chan *ch, void *dev)
{
	struct clk_ctl *clk = devm_clk_ctl_alloc(dev);

	if (!clk)
		return -ENOMEM;
	clk->rate = 48000;
	ch->clk = clk; /* expect: rule 1 */
	return 0;
}
