/* SPDX-License-Identifier: MIT */
/* Rule 1 kept: the thread is given a reference of its own, given back if it does not start. */
#include <pthread.h>
#include <stdlib.h>
#include <kref.h>

struct job { struct kref ref; int n; };

static void job_release(struct kref *ref)
{
	free(container_of(ref, struct job, ref));
}

static void *worker(void *arg)
{
	struct job *j = arg;

	j->n++;
	kref_put(&j->ref, job_release);
	return NULL;
}

int job_start(struct job *j, pthread_t *t)
{
	int err;

	kref_get(&j->ref);
	err = pthread_create(t, NULL, worker, j);
	if (err)
		kref_put(&j->ref, job_release);
	return err;
}
