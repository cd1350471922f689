/* SPDX-License-Identifier: MIT */
/* Rule 2: a worker leaves with pthread_exit() while it still holds a
 * reference; the thread ends, the process and the object live on. */
#include <pthread.h>
#include <stdlib.h>
#include <kref.h>

struct task { struct kref ref; int cancelled; };

/* Returns the next task with a reference for the caller, or NULL. */
extern struct task *queue_pop_get(void);
extern void task_run(struct task *t);

static void task_release(struct kref *ref)
{
	free(container_of(ref, struct task, ref));
}

void *worker(void *arg)
{
	struct task *t;

	(void)arg;
	while ((t = queue_pop_get())) {
		if (t->cancelled)
			pthread_exit(NULL);	/* expect: rule 2 */
		task_run(t);
		kref_put(&t->ref, task_release);
	}
	return NULL;
}
