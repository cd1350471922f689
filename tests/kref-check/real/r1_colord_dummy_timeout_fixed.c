/* SPDX-License-Identifier: MIT */
/*
 * Fixed twin of r1_colord_dummy_timeout.c (own code): hughsie/colord
 * commit 1ce26daa5bc786869dac6ba309b698480ef31bac,
 * src/sensors/dummy/cd-sensor-dummy.c.  The function's reference is
 * transferred to the callback (g_steal_pointer), which drops it when done.
 */
#include <stdlib.h>
#include <kref.h>

struct task { struct kref ref; int cap; double sample; };

unsigned int timeout_add_seconds(unsigned int secs, int (*fn)(void *), void *data);
void task_return_sample(struct task *task, double v);

static void task_free(struct kref *ref)
{
	free(container_of(ref, struct task, ref));
}

static void task_unref(struct task *task)
{
	kref_put(&task->ref, task_free);
}

static int get_sample_wait_cb(void *data)
{
	struct task *task = data;

	task_return_sample(task, 0.5);
	task_unref(task);
	return 0;
}

void sensor_get_sample_async(int cap)
{
	struct task *task = malloc(sizeof(*task));

	if (!task)
		return;
	kref_init(&task->ref);
	task->cap = cap;
	timeout_add_seconds(2, get_sample_wait_cb, task);	/* the reference goes with it */
}
