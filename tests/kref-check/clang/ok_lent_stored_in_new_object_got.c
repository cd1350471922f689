/* SPDX-License-Identifier: MIT */
/* Rule 1 kept: the job takes a reference on the caller's buffer. */
#include <stdlib.h>
#include <kref.h>

struct buffer { struct kref ref; char data[64]; };
struct job { struct kref ref; struct buffer *buf; };

/* Returns a new job holding one reference, or NULL. */
extern struct job *job_new(void);
/* Queues the job for the worker pool, which takes over the caller's
 * reference to it. */
extern void pool_queue(struct job *job);

void submit_write(struct buffer *buf)
{
	struct job *job = job_new();

	if (!job)
		return;
	kref_get(&buf->ref);
	job->buf = buf;
	pool_queue(job);
}
