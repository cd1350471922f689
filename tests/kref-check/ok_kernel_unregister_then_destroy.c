/* SPDX-License-Identifier: MIT */
/* Rule 2 kept: kernel style.  The teardown calls the one helper that
 * unregisters the controller: one put for the one reference.  The twin of
 * r2_kernel_unregister_then_destroy.c. */
#include <linux/kref.h>
#include <linux/slab.h>
#include "kernel_shim.h"

struct ctrl {
	struct kref kref;
	int id;
};

static struct ctrl *the_ctrl;

/* Allocates and registers a controller, or returns an ERR_PTR. */
extern struct ctrl *ctrl_register(int id);
extern int ctrl_attach_ports(struct ctrl *c);

static void ctrl_release(struct kref *kref)
{
	kfree(container_of(kref, struct ctrl, kref));
}

static void ctrl_unregister(struct ctrl *c)
{
	kref_put(&c->kref, ctrl_release);
}

static void ctrl_remove(struct ctrl *c)
{
	if (IS_ERR_OR_NULL(c))
		return;
	pr_info("ctrl %d removed\n", c->id);
	ctrl_unregister(c);
}

int bus_setup(void)
{
	int err;

	the_ctrl = ctrl_register(1);
	if (IS_ERR(the_ctrl))
		return PTR_ERR(the_ctrl);
	err = ctrl_attach_ports(the_ctrl);
	if (err)
		goto out_unregister;
	return 0;

out_unregister:
	ctrl_remove(the_ctrl);
	return err;
}

void bus_teardown(void)
{
	ctrl_remove(the_ctrl);
}
