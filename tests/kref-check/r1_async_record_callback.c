/* SPDX-License-Identifier: MIT */
/* Rule 1, userspace: a render request borrows the document it was given,
 * packs it into a freshly allocated job record and hands the record to a
 * deferred-call pool with a callback.  The record keeps the document
 * pointer but no reference: the caller may close the document (its last
 * reference) before the pool runs render_job_run(). */
#include <stdlib.h>
#include <kref.h>

struct document {
	struct kref refs;
	int pages;
	char *title;
};

struct render_job {
	struct document *doc;
	int first_page;
};

/* Calls fn(arg) later, from one of the pool's threads. */
int defer_pool_call(void (*fn)(void *), void *arg);
void document_destroy(struct document *doc);
void render_page(struct document *doc, int page);

static void document_release(struct kref *k)
{
	document_destroy(container_of(k, struct document, refs));
}

void document_close(struct document *doc)
{
	kref_put(&doc->refs, document_release);
}

static void render_job_run(void *arg)
{
	struct render_job *job = arg;
	int p;

	for (p = job->first_page; p < job->doc->pages; p++)
		render_page(job->doc, p);
	free(job);
}

int render_from(struct document *doc, int first_page)
{
	struct render_job *job;

	job = malloc(sizeof(*job));
	if (!job)
		return -1;
	job->doc = doc;	/* expect: rule 1 */
	job->first_page = first_page;
	return defer_pool_call(render_job_run, job);
}
