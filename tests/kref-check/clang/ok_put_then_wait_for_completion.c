/* SPDX-License-Identifier: MIT */
/* The drain idiom: teardown drops the initial reference of a counter
 * embedded in the host and waits on a completion the release signals
 * when the last user has put; the host lives on after the wait and is
 * used and freed by its owner (drivers/scsi/hosts.c's tag set count in
 * Linux 6.1 has this shape). */
#include <pthread.h>
#include <stdlib.h>
#include <kref.h>

struct completion {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int done;
};

static void complete(struct completion *c)
{
	pthread_mutex_lock(&c->lock);
	c->done = 1;
	pthread_cond_broadcast(&c->cond);
	pthread_mutex_unlock(&c->lock);
}

static void wait_for_completion(struct completion *c)
{
	pthread_mutex_lock(&c->lock);
	while (!c->done)
		pthread_cond_wait(&c->cond, &c->lock);
	pthread_mutex_unlock(&c->lock);
}

struct host {
	struct kref users;		/* users of the queues; the release wakes teardown */
	struct completion drained;
	int state;
	void *queues;
};

static void host_users_gone(struct kref *ref)
{
	struct host *h = container_of(ref, struct host, users);

	complete(&h->drained);
}

void host_remove(struct host *h)
{
	h->state = 1;
	kref_put(&h->users, host_users_gone);
	wait_for_completion(&h->drained);
	free(h->queues);
	h->queues = NULL;
	h->state = 2;
}
