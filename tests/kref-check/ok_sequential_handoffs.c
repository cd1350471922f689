/* SPDX-License-Identifier: MIT */
/* Correct: two threads started one after the other, each reference taken
 * just before its own pthread_create (the second get comes after the first
 * handoff, but the caller still holds its own reference). */
#include <pthread.h>
#include <stdlib.h>
#include <kref.h>

struct pipeline {
	struct kref ref;
	int fds[2];
};

static void pipeline_release(struct kref *ref)
{
	free(container_of(ref, struct pipeline, ref));
}

static void *producer(void *arg)
{
	struct pipeline *p = arg;

	(void)p->fds[1];
	kref_put(&p->ref, pipeline_release);
	return NULL;
}

static void *consumer(void *arg)
{
	struct pipeline *p = arg;

	(void)p->fds[0];
	kref_put(&p->ref, pipeline_release);
	return NULL;
}

int pipeline_start(struct pipeline *p, pthread_t t[2])
{
	kref_get(&p->ref);
	if (pthread_create(&t[0], NULL, producer, p) != 0) {
		kref_put(&p->ref, pipeline_release);
		return -1;
	}
	kref_get(&p->ref);
	if (pthread_create(&t[1], NULL, consumer, p) != 0) {
		kref_put(&p->ref, pipeline_release);
		return -1;
	}
	return 0;
}
