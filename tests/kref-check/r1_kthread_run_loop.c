/* SPDX-License-Identifier: MIT */
/* Rule 1, kernel style: kthread_create then the get then wake_up_process
 * is fine; kthread_run then the get is not. */
#include <linux/kref.h>
#include <linux/slab.h>
#include "kernel_shim.h"

struct job { struct kref kref; int n; };
static void job_release(struct kref *kref) { kfree(container_of(kref, struct job, kref)); }
static int job_fn(void *data) { struct job *j = data; j->n++; kref_put(&j->kref, job_release); return 0; }

/* Correct: the thread does not run until it is woken. */
int job_start(struct job *j)
{
	struct task_struct *t = kthread_create(job_fn, j, "job");

	if (IS_ERR(t))
		return PTR_ERR(t);
	kref_get(&j->kref);
	wake_up_process(t);
	return 0;
}

/* Violation: several threads, each reference taken after its start. */
int job_start_many(struct job *j, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		struct task_struct *t = kthread_run(job_fn, j, "job%d", i);
		if (IS_ERR(t))
			return PTR_ERR(t);
		kref_get(&j->kref);	/* expect: rule 1 */
	}
	return 0;
}
