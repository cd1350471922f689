/* SPDX-License-Identifier: MIT */
/* Rule 2: a completion callback drops a reference on the printer job it
 * is called back with, but nobody took one for it: the submitter passes
 * the job it was itself only lent (by the queue walker) to the async
 * write, with no get.  The queue's own reference is put twice. */
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

int port_write_async(struct port *p, const void *buf, int len,
		     void (*complete)(struct job *j, int err), struct job *j);
void spool_log(int pages, int err);

static void job_written(struct job *j, int err)
{
	j->done = 1;
	spool_log(j->pages, err);
	job_unref(j);	/* expect: rule 2 */
}

static int job_submit(struct port *p, struct job *j, const char *data, int len)
{
	return port_write_async(p, data, len, job_written, j);
}

void queue_kick(struct port *p, struct job *head, const char *data, int len)
{
	if (head->done)
		return;
	job_submit(p, head, data, len);
}
