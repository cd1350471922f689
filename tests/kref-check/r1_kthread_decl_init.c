/* SPDX-License-Identifier: MIT */
/* Rule 1, kernel style: kthread_run in a declaration, then the get once it
 * succeeded. */
#include <linux/kref.h>
#include <linux/slab.h>
#include "kernel_shim.h"

struct dev_state { struct kref kref; int irq; };

static void dev_state_release(struct kref *kref)
{
	struct dev_state *st = container_of(kref, struct dev_state, kref);
	kfree(st);
}

static int poller(void *arg)
{
	struct dev_state *st = arg;
	st->irq = 0;
	kref_put(&st->kref, dev_state_release);
	return 0;
}

int start_poller(struct dev_state *st)
{
	struct task_struct *t = kthread_run(poller, st, "poller");

	if (IS_ERR(t))
		return PTR_ERR(t);
	kref_get(&st->kref);	/* expect: rule 1 */
	return 0;
}
