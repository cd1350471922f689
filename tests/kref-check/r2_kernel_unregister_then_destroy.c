/* SPDX-License-Identifier: MIT */
/* Rule 2: kernel style.  The bus's teardown unregisters the controller
 * (which drops the registration's reference) and then calls the helper
 * that also unregisters it: two puts of the one reference the module
 * held, on the error path and in the exit function alike. */
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
	ctrl_unregister(the_ctrl);
	ctrl_remove(the_ctrl);	/* expect: rule 2 */
	return err;
}

void bus_teardown(void)
{
	ctrl_unregister(the_ctrl);
	ctrl_remove(the_ctrl);	/* expect: rule 2 */
}
