/* SPDX-License-Identifier: MIT */
/* Rule 1, plain C with a pthread worker pool: a connection handler hands
 * the connection it was given to the pool to compress its log, with no
 * reference for the job.  The caller closes and puts the connection when
 * the handler returns, often before a worker picks the job up. */
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
}

void conn_rotate_log(struct pool *pool, struct conn *c)
{
	pool_submit(pool, compress_job, c);	/* expect: rule 1 */
}

void conn_serve(struct pool *pool, struct conn *c)
{
	conn_rotate_log(pool, c);
	conn_put(c);
}
