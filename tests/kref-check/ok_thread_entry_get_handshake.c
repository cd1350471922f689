/* SPDX-License-Identifier: MIT */
/* Correct: the worker takes its own reference at its entry, but the
 * starter waits for it to say it has one before dropping its own, so the
 * object cannot go in between. */
#include <pthread.h>
#include <semaphore.h>
#include <stdlib.h>
#include <kref.h>

struct probe { struct kref ref; sem_t started; int result; };

static void probe_release(struct kref *ref)
{
	free(container_of(ref, struct probe, ref));
}

static void *probe_thread(void *arg)
{
	struct probe *p = arg;

	kref_get(&p->ref);
	sem_post(&p->started);
	p->result = 1;
	kref_put(&p->ref, probe_release);
	return NULL;
}

int probe_start(struct probe *p)
{
	pthread_t t;
	int err = pthread_create(&t, NULL, probe_thread, p);

	if (!err) {
		sem_wait(&p->started);
		pthread_detach(t);
	}
	kref_put(&p->ref, probe_release);
	return err;
}
