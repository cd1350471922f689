/* SPDX-License-Identifier: MIT */
/* Rules 1, 2 and 3 through small wrappers: a setter that publishes, a get
 * wrapper, a bool function's error return; the correct publication last. */
#include <pthread.h>
#include <stdlib.h>
#include <stdbool.h>
#include <kref.h>

struct job { struct kref ref; int id; };
static struct job *current_job;
static pthread_mutex_t job_lock = PTHREAD_MUTEX_INITIALIZER;

static void job_release(struct kref *ref)
{
	struct job *j = container_of(ref, struct job, ref);
	if (current_job == j)
		current_job = NULL;
	pthread_mutex_unlock(&job_lock);
	free(j);
}

static void job_put(struct job *j) { kref_put_mutex(&j->ref, job_release, &job_lock); }
static void job_get(struct job *j) { kref_get(&j->ref); }

static void set_current(struct job *j)
{
	pthread_mutex_lock(&job_lock);
	current_job = j;
	pthread_mutex_unlock(&job_lock);
}

/* Violation (rule 1): published through a setter, then the global's reference. */
void job_activate(struct job *j)
{
	set_current(j);
	job_get(j);	/* expect: rule 1 */
}

/* Violation (rule 3): the getter reads the global without the lock. */
struct job *job_current(void)
{
	struct job *j = current_job;
	if (j)
		job_get(j);	/* expect: rule 3 */
	return j;
}

/* Violation (rule 2): one false return forgets the reference. */
bool job_is_even(void)
{
	struct job *j;

	pthread_mutex_lock(&job_lock);
	j = current_job;
	if (j)
		job_get(j);
	pthread_mutex_unlock(&job_lock);
	if (!j)
		return false;
	if (j->id < 0)
		return false;	/* expect: rule 2 */
	bool even = (j->id % 2) == 0;
	job_put(j);
	return even;
}

/* Correct: publish and get in one critical section. */
void job_activate_ok(struct job *j)
{
	pthread_mutex_lock(&job_lock);
	current_job = j;
	job_get(j);
	pthread_mutex_unlock(&job_lock);
}
