/* SPDX-License-Identifier: MIT */
/* Correct: the lookups take their reference inside the critical section
 * that found the entry, the final put takes the same lock, and callers
 * put the entry when done; a helper that returns a bare pointer is only
 * called with the lock held, and the caller takes its reference before
 * dropping it. */
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/slab.h>

struct printer {
	struct mutex lock;
	struct list_head jobs;
};

struct print_job {
	struct kref kref;
	struct list_head link;
	struct printer *pr;
	int id;
	int pages;
};

static void print_job_free(struct kref *kref)
{
	struct print_job *job = container_of(kref, struct print_job, kref);

	list_del(&job->link);
	mutex_unlock(&job->pr->lock);
	kfree(job);
}

void print_job_put(struct print_job *job)
{
	kref_put_mutex(&job->kref, print_job_free, &job->pr->lock);
}

static struct print_job *__job_search(struct printer *pr, int id)
{
	struct print_job *job;

	list_for_each_entry(job, &pr->jobs, link)
		if (job->id == id)
			return job;
	return NULL;
}

struct print_job *print_job_find(struct printer *pr, int id)
{
	struct print_job *job;

	mutex_lock(&pr->lock);
	job = __job_search(pr, id);
	if (job)
		kref_get(&job->kref);
	mutex_unlock(&pr->lock);
	return job;
}

static int job_search_out(struct printer *pr, int id, struct print_job **out)
{
	struct print_job *job, *hit = NULL;

	mutex_lock(&pr->lock);
	list_for_each_entry(job, &pr->jobs, link) {
		if (job->id == id) {
			kref_get(&job->kref);
			hit = job;
			break;
		}
	}
	*out = hit;
	mutex_unlock(&pr->lock);
	return hit ? 0 : -1;
}

static void job_account(struct print_job *job, int pages)
{
	job->pages += pages;
}

void printer_page_done(struct printer *pr, int id)
{
	struct print_job *job = print_job_find(pr, id);

	if (!job)
		return;
	job_account(job, 1);
	print_job_put(job);
}

int printer_job_pages(struct printer *pr, int id)
{
	struct print_job *job;
	int pages;

	if (job_search_out(pr, id, &job))
		return -1;
	pages = job->pages;
	print_job_put(job);
	return pages;
}
