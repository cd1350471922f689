/* SPDX-License-Identifier: MIT */
/* Correct: the seed's fixed version: the thread's reference is taken
 * before kthread_run, and put back when the thread could not start. */
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

	kref_get(&data->refcount);
	task = kthread_run(more_data_handling, data, "more_data");
	if (IS_ERR(task)) {
		kref_put(&data->refcount, data_release);
		kref_put(&data->refcount, data_release);
		return -ENOMEM;
	}
	data->value++;
	kref_put(&data->refcount, data_release);
	return 0;
}
