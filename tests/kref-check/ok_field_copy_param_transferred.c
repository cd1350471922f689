/* SPDX-License-Identifier: MIT */
/* Rule 1, kernel style: a print job is queued with a copy of its printer in
 * a field, put by the handler.  The helper stores its parameter with no get
 * of its own, but its only caller passes the reference printer_open() just
 * made and never puts it: the reference moves into the job. */
#include <linux/kref.h>
#include <linux/slab.h>
#include "kernel_shim.h"

struct printer { struct kref kref; int id; int pages; };
struct print_job { struct work_struct work; struct printer *prn; };

static void printer_release(struct kref *kref)
{
	kfree(container_of(kref, struct printer, kref));
}

static struct printer *printer_open(int id)
{
	struct printer *prn = kzalloc(sizeof(*prn), GFP_KERNEL);

	if (!prn)
		return NULL;
	kref_init(&prn->kref);
	prn->id = id;
	return prn;
}

static void print_job_fn(struct work_struct *work)
{
	struct print_job *job = container_of(work, struct print_job, work);

	job->prn->pages++;
	kref_put(&job->prn->kref, printer_release);
	kfree(job);
}

static int print_job_queue(struct print_job *job, struct printer *prn)
{
	job->prn = prn;
	INIT_WORK(&job->work, print_job_fn);
	schedule_work(&job->work);
	return 0;
}

int print_submit(int id)
{
	struct print_job *job;
	struct printer *prn;

	job = kzalloc(sizeof(*job), GFP_KERNEL);
	if (!job)
		return -ENOMEM;
	prn = printer_open(id);
	if (!prn) {
		kfree(job);
		return -ENODEV;
	}
	return print_job_queue(job, prn);
}
