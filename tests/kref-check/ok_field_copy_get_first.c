/* SPDX-License-Identifier: MIT */
/* The job keeps a pointer to its printer, and job_destroy() puts what the
 * field holds: the reference is taken where the copy is stored, so every
 * path to job_destroy() has one to put. */
#include <stdlib.h>
#include <kref.h>

struct printer { struct kref ref; int pages; };
struct print_job { struct printer *printer; int copies; };

int spool_register(struct print_job *job);

static void printer_release(struct kref *ref)
{
	free(container_of(ref, struct printer, ref));
}

static void job_destroy(struct print_job *job)
{
	kref_put(&job->printer->ref, printer_release);
	free(job);
}

int job_submit(struct printer *printer, int copies)
{
	struct print_job *job = calloc(1, sizeof(*job));

	if (!job)
		return -1;
	kref_get(&printer->ref);
	job->printer = printer;
	job->copies = copies;
	if (spool_register(job)) {
		job_destroy(job);
		return -1;
	}
	return 0;
}

