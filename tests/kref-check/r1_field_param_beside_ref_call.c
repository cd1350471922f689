/* SPDX-License-Identifier: MIT */
/* Rule 1, plain C with pthreads: a print job keeps a reference on its
 * document (taken by doc_ref()), but keeps the printer it is given with
 * none.  The job waits in the spooler's queue, served by another thread,
 * while the printer can be unplugged and put by its owner. */
#include <pthread.h>
#include <stdlib.h>
#include <kref.h>

struct doc { struct kref ref; int pages; };
struct printer { struct kref ref; int fd; };

struct print_job {
	struct kref ref;
	struct doc *doc;
	struct printer *printer;
	pthread_mutex_t lock;
};

static void doc_free(struct kref *ref)
{
	free(container_of(ref, struct doc, ref));
}

struct doc *doc_ref(struct doc *d)
{
	kref_get(&d->ref);
	return d;
}

void doc_unref(struct doc *d)
{
	kref_put(&d->ref, doc_free);
}

static void printer_free(struct kref *ref)
{
	free(container_of(ref, struct printer, ref));
}

void printer_unref(struct printer *p)
{
	kref_put(&p->ref, printer_free);
}

static void print_job_free(struct kref *ref)
{
	struct print_job *job = container_of(ref, struct print_job, ref);

	doc_unref(job->doc);
	pthread_mutex_destroy(&job->lock);
	free(job);
}

void print_job_unref(struct print_job *job)
{
	kref_put(&job->ref, print_job_free);
}

struct print_job *print_job_new(struct doc *d, struct printer *p)
{
	struct print_job *job = calloc(1, sizeof(*job));

	if (!job)
		return NULL;
	kref_init(&job->ref);
	pthread_mutex_init(&job->lock, NULL);
	job->doc = doc_ref(d);
	job->printer = p;	/* expect: rule 1 */
	return job;
}
