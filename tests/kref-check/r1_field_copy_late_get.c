/* SPDX-License-Identifier: MIT */
/* Rule 1 with a long-lived copy in another object's field: the job keeps a
 * pointer to its printer, and job_destroy() puts what the field holds.  The
 * printer's reference is taken only after the job is registered: when the
 * registration fails, job_destroy() puts a reference the field never had. */
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
	job->printer = printer;	/* expect: rule 1 */
	job->copies = copies;
	if (spool_register(job)) {
		job_destroy(job);
		return -1;
	}
	kref_get(&printer->ref);
	return 0;
}
