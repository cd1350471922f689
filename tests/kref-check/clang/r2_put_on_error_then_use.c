/* SPDX-License-Identifier: MIT */
/* Rule 2: on a failed start the job's reference, the caller's, is put,
 * and the job is written to on the way out. */
#include <stdlib.h>
#include <kref.h>

struct job { struct kref ref; int started; };

/* Starts the job; negative on failure. */
extern int job_start(struct job *j);

static void job_release(struct kref *ref)
{
	free(container_of(ref, struct job, ref));
}

static void job_put(struct job *j)
{
	kref_put(&j->ref, job_release);
}

/* @j: the caller's reference, given to this function. */
int job_run(struct job *j)
{
	int ret = job_start(j);

	if (ret < 0)
		job_put(j);
	j->started = ret >= 0;	/* expect: rule 2 */
	return ret;
}
