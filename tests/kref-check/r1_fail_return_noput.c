/* SPDX-License-Identifier: MIT */
/* Rule 1, the other half: the reference is taken before the handoff, but
 * when pthread_create fails nobody puts it, and the job leaks. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <kref.h>

struct encode_job {
	struct kref ref;
	const unsigned char *in;
	size_t len;
};

static void encode_job_release(struct kref *ref)
{
	free(container_of(ref, struct encode_job, ref));
}

static void *encoder(void *arg)
{
	struct encode_job *job = arg;

	(void)job->in;
	kref_put(&job->ref, encode_job_release);
	return NULL;
}

int encode_in_background(const unsigned char *in, size_t len, pthread_t *tid)
{
	struct encode_job *job = malloc(sizeof(*job));
	int err;

	if (!job)
		return -1;
	kref_init(&job->ref);
	job->in = in;
	job->len = len;

	kref_get(&job->ref);
	err = pthread_create(tid, NULL, encoder, job);	/* expect: rule 1 */
	if (err) {
		fprintf(stderr, "encoder: cannot start (%d)\n", err);
		return -1;
	}
	kref_put(&job->ref, encode_job_release);
	return 0;
}
