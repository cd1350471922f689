/* SPDX-License-Identifier: MIT */
/* Correct: the job found under the lock is got before the lock is
 * dropped to run it, and put after. */
#include <pthread.h>
#include <stdlib.h>
#include <kref.h>

struct job { struct kref ref; struct job *next; int (*fn)(void); int done; };

static pthread_mutex_t jobs_lock = PTHREAD_MUTEX_INITIALIZER;
static struct job *jobs;

static void job_release(struct kref *ref)
{
	free(container_of(ref, struct job, ref));
}

void run_first_job(void)
{
	struct job *j;

	pthread_mutex_lock(&jobs_lock);
	j = jobs;
	if (j)
		kref_get(&j->ref);
	pthread_mutex_unlock(&jobs_lock);
	if (!j)
		return;
	j->fn();
	pthread_mutex_lock(&jobs_lock);
	j->done = 1;
	pthread_mutex_unlock(&jobs_lock);
	kref_put(&j->ref, job_release);
}
