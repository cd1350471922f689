/* SPDX-License-Identifier: MIT */
/* Rule 3: the job found under the lock is got there; after the unlock
 * that one reference is handed to the run queue, documented to take it
 * over (its worker may put it at once), and the job is then written
 * through with no reference left: the twin of
 * ok_found_got_then_rearmed.c, whose timer takes nothing over. */
#include <pthread.h>
#include <stdlib.h>
#include <kref.h>

struct job { struct kref ref; struct job *next; int id; int state; };

static pthread_mutex_t jobs_lock = PTHREAD_MUTEX_INITIALIZER;
static struct job *jobs;

static void job_release(struct kref *ref)
{
	free(container_of(ref, struct job, ref));
}

/* Appends the job to the run queue; takes over the caller's reference
 * (a worker puts it when the job has run). */
extern void runq_push(struct job *j);

int job_kick(int id)
{
	struct job *j;

	pthread_mutex_lock(&jobs_lock);
	for (j = jobs; j; j = j->next)
		if (j->id == id) {
			kref_get(&j->ref);
			break;
		}
	pthread_mutex_unlock(&jobs_lock);
	if (!j)
		return -1;
	runq_push(j);
	j->state = 1;	/* expect: rule 3 */
	return 0;
}

void job_done(struct job *j)
{
	pthread_mutex_lock(&jobs_lock);
	kref_put(&j->ref, job_release);
	pthread_mutex_unlock(&jobs_lock);
}
