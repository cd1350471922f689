/* SPDX-License-Identifier: MIT */
/* Rule 2: one path aborts, another returns with the reference unput; the
 * abort excuses only its own path. */
#include <stdlib.h>
#include <kref.h>

struct job { struct kref ref; int id; int state; };

/* Returns the job with a new reference, or NULL. */
extern struct job *job_lookup_get(int id);
extern int job_run(struct job *j);

static void job_release(struct kref *ref)
{
	free(container_of(ref, struct job, ref));
}

int job_kick(int id)
{
	struct job *j = job_lookup_get(id);
	int ret;

	if (!j)
		return -1;
	if (j->state < 0)
		abort();
	if (j->state == 0)
		return 0;	/* expect: rule 2 */
	ret = job_run(j);
	kref_put(&j->ref, job_release);
	return ret;
}
