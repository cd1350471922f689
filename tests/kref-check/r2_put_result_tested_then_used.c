/* SPDX-License-Identifier: MIT */
/* Rule 2: the put's result tested, then the object used on the path where
 * the put did not free it.  That path holds no reference any more: another
 * user may drop the last one and free the connection at any moment, so
 * the write after the put (and the read in the other branch) may touch
 * freed memory.  Plain C with pthreads. */
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

/* Drops the caller's reference. */
void conn_unuse(struct conn *c)
{
	pthread_mutex_lock(&c->lock);
	c->users--;
	pthread_mutex_unlock(&c->lock);
	if (kref_put(&c->ref, conn_free))
		return;
	c->last_unuse = time(NULL);	/* expect: rule 2 */
}

/* Drops the caller's reference; returns the users left. */
int conn_unuse_count(struct conn *c)
{
	int left = 0;

	if (conn_put(c) == 0)
		left = c->users;	/* expect: rule 2 */
	return left;
}
