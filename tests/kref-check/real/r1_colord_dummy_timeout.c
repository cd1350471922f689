/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: hughsie/colord commit
 * 1ce26daa5bc786869dac6ba309b698480ef31bac "tests: Fix cd-sensor-dummy",
 * src/sensors/dummy/cd-sensor-dummy.c, cd_sensor_get_sample_async().  The
 * task was handed to a two-second timeout callback, but the function's own
 * (auto-freed) reference was dropped when it returned: the callback ran on
 * a task nobody held.  GObject refcounting, written here with struct kref.
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
	return 0;
}

void sensor_get_sample_async(int cap)
{
	struct task *task = malloc(sizeof(*task));

	if (!task)
		return;
	kref_init(&task->ref);
	task->cap = cap;
	timeout_add_seconds(2, get_sample_wait_cb, task);	/* expect: rule 1 */
	task_unref(task);	/* what g_autoptr did at the closing brace */
}
