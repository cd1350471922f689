/* SPDX-License-Identifier: MIT */
/* Correct: the submitter takes the worker's reference before starting it
 * through the program's wrapper, and puts it back if the start fails;
 * the worker only drops it at its end. */
#include <pthread.h>
#include <stdlib.h>
#include <kref.h>

struct job { struct kref ref; int (*run)(struct job *); int status; };

static void job_release(struct kref *ref)
{
	free(container_of(ref, struct job, ref));
}

static void job_hold(struct job *j)
{
	kref_get(&j->ref);
}

static void job_drop(struct job *j)
{
	kref_put(&j->ref, job_release);
}

static int worker_spawn(void *(*entry)(void *), void *arg)
{
	pthread_t t;

	if (pthread_create(&t, NULL, entry, arg))
		return -1;
	return pthread_detach(t);
}

static void *job_main(void *arg)
{
	struct job *j = (struct job *)arg;

	j->status = j->run(j);
	job_drop(j);
	return NULL;
}

int job_submit(struct job *j)
{
	int err;

	job_hold(j);
	err = worker_spawn(job_main, j);
	if (err)
		job_drop(j);
	job_drop(j);
	return err;
}
