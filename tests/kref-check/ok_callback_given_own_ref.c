/* SPDX-License-Identifier: MIT */
/* Rule 2, correct: the submitter takes a reference for the completion
 * callback before starting the async write, and the callback drops that
 * one; the failed start drops it at once. */
#include <stdlib.h>
#include <kref.h>

struct job { struct kref kref; int pages; int done; };
struct port;

static void job_free(struct kref *kref)
{
	free(container_of(kref, struct job, kref));
}

static void job_unref(struct job *j)
{
	kref_put(&j->kref, job_free);
}

static void job_ref(struct job *j)
{
	kref_get(&j->kref);
}

int port_write_async(struct port *p, const void *buf, int len,
		     void (*complete)(struct job *j, int err), struct job *j);
void spool_log(int pages, int err);

static void job_written(struct job *j, int err)
{
	j->done = 1;
	spool_log(j->pages, err);
	job_unref(j);
}

static int job_submit(struct port *p, struct job *j, const char *data, int len)
{
	int err;

	job_ref(j);
	err = port_write_async(p, data, len, job_written, j);
	if (err)
		job_unref(j);
	return err;
}

void queue_kick(struct port *p, struct job *head, const char *data, int len)
{
	if (head->done)
		return;
	job_submit(p, head, data, len);
}
