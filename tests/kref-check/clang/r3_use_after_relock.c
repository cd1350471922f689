/* SPDX-License-Identifier: MIT */
/* Rule 3: an entry found under the lock, the lock dropped to run the
 * pending work and taken again: the entry may have been freed meanwhile. */
#include <pthread.h>
#include <stdlib.h>
#include <kref.h>

struct job { struct kref ref; struct job *next; int done; };

/* Runs the work queued meanwhile; it may put jobs. */
extern void run_pending(void);

static pthread_mutex_t jobs_lock = PTHREAD_MUTEX_INITIALIZER;
static struct job *jobs;

static void job_release(struct kref *ref)
{
	struct job *j = container_of(ref, struct job, ref);
	struct job **p;

	pthread_mutex_lock(&jobs_lock);
	for (p = &jobs; *p; p = &(*p)->next)
		if (*p == j) {
			*p = j->next;
			break;
		}
	pthread_mutex_unlock(&jobs_lock);
	free(j);
}

void job_put(struct job *j)
{
	kref_put(&j->ref, job_release);
}

void run_first_job(void)
{
	struct job *j;

	pthread_mutex_lock(&jobs_lock);
	j = jobs;
	if (j) {
		pthread_mutex_unlock(&jobs_lock);
		run_pending();
		pthread_mutex_lock(&jobs_lock);
		j->done = 1;	/* expect: rule 3 */
	}
	pthread_mutex_unlock(&jobs_lock);
}
