/* SPDX-License-Identifier: MIT */
/* Correct, plain C with a pthread worker pool: the job gets a reference
 * of its own, put by the job when it is done or at once when the pool
 * refuses it. */
#include <pthread.h>
#include <stdlib.h>
#include <kref.h>

struct pool;
/* Queues fn(arg) for one of the pool's worker threads; returns 0 or -1. */
int pool_submit(struct pool *pool, void (*fn)(void *arg), void *arg);
void compress_file(int fd);

struct conn {
	struct kref ref;
	pthread_mutex_t lock;
	int log_fd;
};

static void conn_free(struct kref *ref)
{
	free(container_of(ref, struct conn, ref));
}

void conn_put(struct conn *c)
{
	kref_put(&c->ref, conn_free);
}

static void compress_job(void *arg)
{
	struct conn *c = arg;

	pthread_mutex_lock(&c->lock);
	compress_file(c->log_fd);
	pthread_mutex_unlock(&c->lock);
	conn_put(c);
}

void conn_rotate_log(struct pool *pool, struct conn *c)
{
	kref_get(&c->ref);
	if (pool_submit(pool, compress_job, c))
		conn_put(c);
}

void conn_serve(struct pool *pool, struct conn *c)
{
	conn_rotate_log(pool, c);
	conn_put(c);
}
