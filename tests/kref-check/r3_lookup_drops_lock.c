/* SPDX-License-Identifier: MIT */
/* Rule 3: lookups that walk a list under its lock and hand back what they
 * found with no reference.  Once the lock is dropped, the entry can be
 * unlinked and freed by its final put; a reference taken by the caller
 * afterwards (here, or in a function it passes the entry to) is too late,
 * and using the entry without one is a use after free. */
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

static struct print_job *job_search(struct printer *pr, int id)
{
	struct print_job *job;

	mutex_lock(&pr->lock);
	list_for_each_entry(job, &pr->jobs, link) {
		if (job->id == id) {
			mutex_unlock(&pr->lock);
			return job;
		}
	}
	mutex_unlock(&pr->lock);
	return NULL;
}

static int job_search_out(struct printer *pr, int id, struct print_job **out)
{
	struct print_job *job, *hit = NULL;

	mutex_lock(&pr->lock);
	list_for_each_entry(job, &pr->jobs, link)
		if (job->id == id)
			hit = job;
	*out = hit;
	mutex_unlock(&pr->lock);
	return hit ? 0 : -1;
}

struct print_job *print_job_find(struct printer *pr, int id)
{
	struct print_job *job = job_search(pr, id);

	if (job)
		kref_get(&job->kref);	/* expect: rule 3 */
	return job;
}

static void job_account(struct print_job *job, int pages)
{
	kref_get(&job->kref);	/* expect: rule 3 */
	job->pages += pages;
	print_job_put(job);
}

void printer_page_done(struct printer *pr, int id)
{
	struct print_job *job = job_search(pr, id);

	if (job)
		job_account(job, 1);
}

int printer_job_pages(struct printer *pr, int id)
{
	struct print_job *job;

	if (job_search_out(pr, id, &job))
		return -1;
	return job->pages;	/* expect: rule 3 */
}
