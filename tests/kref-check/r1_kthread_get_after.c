/* SPDX-License-Identifier: MIT */
/* Rule 1, as the classic bug: the new thread's reference is taken only
 * after kthread_run has started it; the thread may already have put it. */
#include <linux/kref.h>
#include <linux/slab.h>
#include "kernel_shim.h"

struct my_data {
	int value;
	struct kref refcount;
};

static void data_release(struct kref *ref)
{
	struct my_data *data = container_of(ref, struct my_data, refcount);

	kfree(data);
}

static int more_data_handling(void *cb_data)
{
	struct my_data *data = cb_data;

	data->value++;
	kref_put(&data->refcount, data_release);
	return 0;
}

int my_data_handler(void)
{
	struct my_data *data;
	struct task_struct *task;

	data = kmalloc(sizeof(*data), GFP_KERNEL);
	if (!data)
		return -ENOMEM;
	kref_init(&data->refcount);
	data->value = 1;

	task = kthread_run(more_data_handling, data, "more_data");
	if (!IS_ERR(task))
		kref_get(&data->refcount);	/* expect: rule 1 */

	data->value++;
	kref_put(&data->refcount, data_release);
	return 0;
}
