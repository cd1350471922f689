/* SPDX-License-Identifier: MIT */
/* Correct: plain C with pthreads.  worker_pick() reads a job from the
 * shared slot table with no lock and takes a reference with
 * kref_get_unless_zero().  Jobs are never freed while the pool runs:
 * job_release() clears the slot and parks the job on the pool's list,
 * freed only at shutdown, when the workers have stopped.  The tryget reads
 * a count that is always there, and refuses a dying job. */
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

/* Keeps the job's memory on the pool's list until shutdown. */
extern void job_pool_park(struct job *j);

static void job_release(struct kref *k)
{
	struct job *j = container_of(k, struct job, refs);

	pthread_mutex_lock(&slots_lock);
	slots[j->slot] = NULL;
	pthread_mutex_unlock(&slots_lock);
	job_pool_park(j);
}

void job_put(struct job *j)
{
	kref_put(&j->refs, job_release);
}

struct job *worker_pick(int i)
{
	struct job *j = slots[i % NSLOTS];

	if (j && !kref_get_unless_zero(&j->refs))
		j = NULL;
	return j;
}
