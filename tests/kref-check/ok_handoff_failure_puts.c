/* SPDX-License-Identifier: MIT */
/* Correct: when the handoff fails, the failure path drops the reference
 * taken for it, through a wrapper or an error label that only errors
 * reach. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <threads.h>
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

static void job_put(struct encode_job *job)
{
	kref_put(&job->ref, encode_job_release);
}

static void *encoder(void *arg)
{
	struct encode_job *job = arg;

	(void)job->in;
	job_put(job);
	return NULL;
}

static int encoder_c11(void *arg)
{
	encoder(arg);
	return 0;
}

int encode_in_background(struct encode_job *job, pthread_t *tid)
{
	int err;

	kref_get(&job->ref);
	err = pthread_create(tid, NULL, encoder, job);
	if (err) {
		fprintf(stderr, "encoder: cannot start (%d)\n", err);
		job_put(job);
		return -1;
	}
	return 0;
}

int encode_c11(struct encode_job *job, thrd_t *t)
{
	kref_get(&job->ref);
	if (thrd_create(t, encoder_c11, job) != thrd_success)
		goto err_put;
	return 0;

err_put:
	job_put(job);
	return -1;
}
