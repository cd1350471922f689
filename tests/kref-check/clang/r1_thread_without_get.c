/* SPDX-License-Identifier: MIT */
/* Rule 1: a thread is given the object and no reference for it. */
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
	return pthread_create(t, NULL, worker, j);	/* expect: rule 1 */
}
