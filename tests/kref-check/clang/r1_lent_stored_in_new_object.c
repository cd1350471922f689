/* SPDX-License-Identifier: MIT */
/* Rule 1: the job made here keeps a pointer to the caller's buffer with
 * no reference, and the job outlives the call: it is queued. */
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
	job->buf = buf; /* expect: rule 1 */
	pool_queue(job);
}
