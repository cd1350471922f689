/* SPDX-License-Identifier: MIT */
/* Rule 1 look-alike, userspace: the same render request, but the job
 * record takes its own reference on the document before it is handed to
 * the pool, and render_job_run() puts it when the job is done. */
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

static void document_hold(struct document *doc)
{
	kref_get(&doc->refs);
}

static void render_job_run(void *arg)
{
	struct render_job *job = arg;
	int p;

	for (p = job->first_page; p < job->doc->pages; p++)
		render_page(job->doc, p);
	document_close(job->doc);
	free(job);
}

int render_from(struct document *doc, int first_page)
{
	struct render_job *job;

	job = malloc(sizeof(*job));
	if (!job)
		return -1;
	document_hold(doc);
	job->doc = doc;
	job->first_page = first_page;
	return defer_pool_call(render_job_run, job);
}
