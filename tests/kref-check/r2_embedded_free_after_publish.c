/* SPDX-License-Identifier: MIT */
/* Rule 2: the same job, counted through its embedded header
 * (&j->base.life), is freed with free() after it was queued and got by
 * the queue: the queue's reference now points at freed memory (issue 18). */
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

int job_submit_once(const char *script, int dry_run)
{
	struct job *j = malloc(sizeof(*j));

	if (!j)
		return -1;
	kref_init(&j->base.life);
	j->script = NULL;
	pthread_mutex_lock(&queue_mu);
	kref_get(&j->base.life);
	queued = j;
	pthread_mutex_unlock(&queue_mu);
	if (dry_run) {
		free(j);	/* expect: rule 2 */
		return 0;
	}
	job_put(j);
	return 0;
}
