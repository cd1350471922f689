/* SPDX-License-Identifier: MIT */
/* Rule 2: a new job's one reference goes to the worker pool, which puts
 * it when the job is done (it runs every job it is given), and the
 * submitter then puts it too: the pool's reference is dropped twice. */
#include <stdlib.h>
#include <kref.h>

struct job {
	struct kref ref;
	int arg;
};

typedef void (*job_fn)(void *data);

/* Runs fn(data) on a worker thread later; the pool unrefs data after. */
extern int pool_submit(void *pool, job_fn fn, void *data);
extern void job_run(void *data);

static void job_free(struct kref *ref)
{
	free(container_of(ref, struct job, ref));
}

void job_put(struct job *j)
{
	kref_put(&j->ref, job_free);
}

int job_start(void *pool, int arg)
{
	struct job *j = malloc(sizeof(*j));

	if (!j)
		return -1;
	kref_init(&j->ref);
	j->arg = arg;
	pool_submit(pool, job_run, j);
	job_put(j);	/* expect: rule 2 */
	return 0;
}
