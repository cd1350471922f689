/* SPDX-License-Identifier: MIT */
/* Rule 2: job_next() leaks the queue's reference on the early return.
 * job_share(), a correct caller that takes a second reference for a
 * worker, does not make job_pop() a call that hands back none. */
#include <stdlib.h>
#include <pthread.h>
#include <kref.h>
#include <linux/list.h>
struct job { struct kref ref; struct list_head node; int prio; };
static pthread_mutex_t qlock = PTHREAD_MUTEX_INITIALIZER;
static LIST_HEAD(queue);
static void job_release(struct kref *r) { free(container_of(r, struct job, ref)); }
void job_put(struct job *j) { kref_put(&j->ref, job_release); }
void worker_give(struct job *j);	/* takes the reference it is given */
/* Takes the first job off the queue, with the queue's reference. */
static struct job *job_pop(void)
{
	struct job *j = NULL;
	pthread_mutex_lock(&qlock);
	if (!list_empty(&queue)) {
		j = list_first_entry(&queue, struct job, node);
		list_del(&j->node);
	}
	pthread_mutex_unlock(&qlock);
	return j;
}
int job_next(int min)
{
	struct job *j = job_pop();
	if (!j)
		return -1;
	if (j->prio < min)
		return 0;		/* expect: rule 2 */
	job_put(j);
	return 1;
}

void job_share(void)
{
	struct job *j = job_pop();
	if (!j)
		return;
	kref_get(&j->ref);
	worker_give(j);
	job_put(j);
}

