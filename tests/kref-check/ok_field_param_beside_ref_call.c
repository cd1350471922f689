/* SPDX-License-Identifier: MIT */
/* Correct, plain C with pthreads: the print job takes a reference on both
 * its document and its printer, and drops both when it goes.  A second
 * constructor keeps a printer its caller hands over with its reference. */
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

struct printer *printer_ref(struct printer *p)
{
	kref_get(&p->ref);
	return p;
}

void printer_unref(struct printer *p)
{
	kref_put(&p->ref, printer_free);
}

static void print_job_free(struct kref *ref)
{
	struct print_job *job = container_of(ref, struct print_job, ref);

	doc_unref(job->doc);
	printer_unref(job->printer);
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
	job->printer = printer_ref(p);
	return job;
}
