/* SPDX-License-Identifier: MIT */
/* Rule 1 as the kernel's kref documentation once had it: when kthread_run
 * fails, the code jumps to the common exit, whose single put is the
 * caller's own; the reference taken for the thread leaks. */
#include <linux/kref.h>
#include <linux/slab.h>
#include "kernel_shim.h"

struct my_data {
	struct kref refcount;
	int done;
};

static void data_release(struct kref *ref)
{
	kfree(container_of(ref, struct my_data, refcount));
}

static int more_data_handling(void *cb_data)
{
	struct my_data *data = cb_data;

	data->done = 1;
	kref_put(&data->refcount, data_release);
	return 0;
}

int my_data_handler(void)
{
	int rv = 0;
	struct my_data *data;
	struct task_struct *task;

	data = kmalloc(sizeof(*data), GFP_KERNEL);
	if (!data)
		return -ENOMEM;
	kref_init(&data->refcount);

	kref_get(&data->refcount);
	task = kthread_run(more_data_handling, data, "more_data_handling");	/* expect: rule 1 */
	if (task == ERR_PTR(-ENOMEM)) {
		rv = -ENOMEM;
		goto out;
	}
	data->done = 0;
out:
	kref_put(&data->refcount, data_release);
	return rv;
}
