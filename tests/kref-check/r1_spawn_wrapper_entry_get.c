/* SPDX-License-Identifier: MIT */
/* Rule 1, the thread takes its own reference at its entry: the program
 * starts its workers through its own wrapper (worker_spawn), and the
 * worker gets the job only once it runs; job_submit() puts the
 * submitter's reference at once, so the job may be gone by then. */
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

	job_hold(j);	/* expect: rule 1 */
	j->status = j->run(j);
	job_drop(j);
	return NULL;
}

int job_submit(struct job *j)
{
	int err = worker_spawn(job_main, j);

	job_drop(j);
	return err;
}
