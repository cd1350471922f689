/* SPDX-License-Identifier: MIT */
/* Rule 2 kept: everything the function does with the connection happens
 * before the put, whose result then only says whether it freed it.
 * The twin of r2_put_result_tested_then_used.c. */
#include <stdlib.h>
#include <time.h>
#include <pthread.h>
#include <kref.h>

struct conn {
	struct kref ref;
	pthread_mutex_t lock;
	int users;
	time_t last_unuse;
};

static void conn_free(struct kref *ref)
{
	free(container_of(ref, struct conn, ref));
}

static int conn_put(struct conn *c)
{
	return kref_put(&c->ref, conn_free);
}

/* Drops the caller's reference; returns 1 when it was the last. */
int conn_unuse(struct conn *c)
{
	pthread_mutex_lock(&c->lock);
	c->users--;
	c->last_unuse = time(NULL);
	pthread_mutex_unlock(&c->lock);
	if (kref_put(&c->ref, conn_free))
		return 1;
	return 0;
}

/* Drops the caller's reference; returns the users left before. */
int conn_unuse_count(struct conn *c)
{
	int left = c->users;

	if (conn_put(c) == 0)
		return left;
	return 0;
}
