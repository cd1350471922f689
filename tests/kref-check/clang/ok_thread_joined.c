/* SPDX-License-Identifier: MIT */
/* Correct: the thread is joined before the function returns, so the
 * caller's reference covers its whole life. */
#include <pthread.h>
#include <kref.h>

struct task { struct kref ref; int steps; };

static void *task_step(void *arg)
{
	struct task *t = arg;

	t->steps++;
	return NULL;
}

int task_run_once(struct task *t)
{
	pthread_t th;

	if (pthread_create(&th, NULL, task_step, t))
		return -1;
	pthread_join(th, NULL);
	return 0;
}
