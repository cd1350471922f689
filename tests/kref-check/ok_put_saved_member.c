/* SPDX-License-Identifier: MIT */
/* Rule 2: a job holds a reference on its worker, taken through
 * job->worker when the job starts.  The finish keeps the pointer it will
 * put before the hooks can move the job to another worker. */
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
	struct worker *held = job->worker;
	int ret = job_run_hooks(job);

	worker_put(held);
	return ret;
}
