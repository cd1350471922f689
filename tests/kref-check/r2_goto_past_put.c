/* SPDX-License-Identifier: MIT */
/* Rule 2: an error jumps over the put to the common return. */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <kref.h>

struct job { struct kref ref; struct job *next; int id; int state; };
static struct job *jobs;
static pthread_mutex_t jobs_mu = PTHREAD_MUTEX_INITIALIZER;

static void job_free(struct kref *r) { free(container_of(r, struct job, ref)); pthread_mutex_unlock(&jobs_mu); }
static void job_put(struct job *j) { kref_put_mutex(&j->ref, job_free, &jobs_mu); }

static struct job *job_lookup(int id)
{
	struct job *j;
	pthread_mutex_lock(&jobs_mu);
	for (j = jobs; j; j = j->next)
		if (j->id == id) { kref_get(&j->ref); break; }
	pthread_mutex_unlock(&jobs_mu);
	return j;
}

int do_step(struct job *j);

int job_advance(int id)
{
	struct job *j;
	int ret;

	j = job_lookup(id);
	if (!j)
		return -ENOENT;
	ret = do_step(j);
	if (ret < 0)
		goto out;	/* expect: rule 2 */
	j->state++;
	job_put(j);
out:
	return ret;
}
