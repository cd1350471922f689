/* SPDX-License-Identifier: MIT */
/* Rule 3: plain C with pthreads.  worker_pick() reads a job from the
 * shared slot table with no lock and takes a reference with
 * kref_get_unless_zero().  The tryget refuses a job whose count reached
 * 0, but job_release() frees the memory at once: the job read from the
 * slot may be gone before its count is read.  Hold slots_lock around the
 * read and the tryget (the release clears the slot under it). */
#include <pthread.h>
#include <stdlib.h>
#include <kref.h>

#define NSLOTS 64

struct job {
	struct kref refs;
	int slot;
	void (*run)(struct job *);
};

static struct job *slots[NSLOTS];
static pthread_mutex_t slots_lock = PTHREAD_MUTEX_INITIALIZER;

static void job_release(struct kref *k)
{
	struct job *j = container_of(k, struct job, refs);

	pthread_mutex_lock(&slots_lock);
	slots[j->slot] = NULL;
	pthread_mutex_unlock(&slots_lock);
	free(j);
}

void job_put(struct job *j)
{
	kref_put(&j->refs, job_release);
}

struct job *worker_pick(int i)
{
	struct job *j = slots[i % NSLOTS];

	if (j && !kref_get_unless_zero(&j->refs))	/* expect: rule 3 */
		j = NULL;
	return j;
}
