/* SPDX-License-Identifier: MIT */
/* Correct: the creator takes the job's reference before the thread starts;
 * the thread takes references only on other objects, found under the lock
 * their final put takes. */
#include <pthread.h>
#include <stdlib.h>
#include <kref.h>

struct codec {
	struct kref ref;
	int id;
};

struct job {
	struct kref ref;
	int codec_id;
};

static struct codec *codecs[8];
static pthread_mutex_t codecs_lock = PTHREAD_MUTEX_INITIALIZER;

static void codec_release(struct kref *ref)
{
	struct codec *c = container_of(ref, struct codec, ref);

	codecs[c->id] = NULL;
	pthread_mutex_unlock(&codecs_lock);
	free(c);
}

static void job_release(struct kref *ref)
{
	free(container_of(ref, struct job, ref));
}

static void *job_thread(void *arg)
{
	struct job *job = arg;
	struct codec *c;

	pthread_mutex_lock(&codecs_lock);
	c = codecs[job->codec_id & 7];
	if (c)
		kref_get(&c->ref);
	pthread_mutex_unlock(&codecs_lock);
	if (c)
		kref_put_mutex(&c->ref, codec_release, &codecs_lock);
	kref_put(&job->ref, job_release);
	return NULL;
}

int job_start(struct job *job)
{
	pthread_t t;

	kref_get(&job->ref);
	if (pthread_create(&t, NULL, job_thread, job) != 0) {
		kref_put(&job->ref, job_release);
		return -1;
	}
	pthread_detach(t);
	return 0;
}
