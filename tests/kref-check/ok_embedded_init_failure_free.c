/* SPDX-License-Identifier: MIT */
/* Correct: a job whose count sits in an embedded header
 * (&j->base.life) is initialised, and freed with free() when its
 * second allocation fails: nobody else has seen it yet, so the free is
 * the final put (issue 18: the kref of a struct embedded by value
 * belongs to the outer object). */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <kref.h>

struct job_base { struct kref life; int prio; };
struct job { struct job_base base; char *script; };

static pthread_mutex_t queue_mu = PTHREAD_MUTEX_INITIALIZER;
static struct job *queued;

static void job_done(struct kref *life)
{
	struct job *j = container_of(life, struct job, base.life);

	free(j->script);
	free(j);
}

void job_put(struct job *j)
{
	kref_put(&j->base.life, job_done);
}

int job_submit(const char *script)
{
	struct job *j = malloc(sizeof(*j));

	if (!j)
		return -1;
	kref_init(&j->base.life);
	j->script = strdup(script);
	if (!j->script) {
		free(j);
		return -1;
	}
	pthread_mutex_lock(&queue_mu);
	queued = j;
	pthread_mutex_unlock(&queue_mu);
	return 0;
}
