/* SPDX-License-Identifier: MIT */
/* Rule 2: a job holds a reference on its worker, taken through
 * job->worker when the job starts.  When it finishes, the hooks run first
 * and may move the job to another worker (without a reference); the put
 * through job->worker then drops the new worker's count and leaks the
 * old one's. */
#include <stdlib.h>
#include <kref.h>

struct worker { struct kref ref; int cpu; };
struct job { struct worker *worker; int status; };

int job_run_hooks(struct job *job);	/* may set job->worker */

static void worker_release(struct kref *ref)
{
	free(container_of(ref, struct worker, ref));
}

static void worker_get(struct worker *w)
{
	kref_get(&w->ref);
}

static void worker_put(struct worker *w)
{
	kref_put(&w->ref, worker_release);
}

void job_start(struct job *job)
{
	worker_get(job->worker);
	job->status = 1;
}

int job_finish(struct job *job)
{
	int ret = job_run_hooks(job);

	worker_put(job->worker);	/* expect: rule 2 */
	return ret;
}
