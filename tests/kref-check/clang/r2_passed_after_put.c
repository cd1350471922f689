/* SPDX-License-Identifier: MIT */
/* Rule 2: the job's reference is dropped, then the job is handed to a
 * logging function that reads it: it may be freed by then. */
#include <stdlib.h>
#include <kref.h>

struct job { struct kref ref; int state; char name[16]; };

/* Returns a job with one reference for the caller, or NULL. */
extern struct job *job_next(void);
/* Writes the job's name and state to the log. */
extern void job_log(const struct job *j, const char *what);
extern int job_run(struct job *j);

static void job_release(struct kref *ref)
{
	free(container_of(ref, struct job, ref));
}

int run_one(void)
{
	struct job *j = job_next();
	int err;

	if (!j)
		return 0;
	err = job_run(j);
	kref_put(&j->ref, job_release);
	if (err)
		job_log(j, "failed");	/* expect: rule 2 */
	return err;
}
