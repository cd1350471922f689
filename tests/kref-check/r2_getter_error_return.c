/* SPDX-License-Identifier: MIT */
/* Rule 2: a getter takes the reference, then returns NULL on a dead
 * connection without putting it. */
#include <stdlib.h>
#include <pthread.h>
#include <kref.h>

struct conn { struct kref ref; int fd; int dead; };
static struct conn *conns[32];
static pthread_mutex_t conns_lock = PTHREAD_MUTEX_INITIALIZER;

static void conn_release(struct kref *ref)
{
	struct conn *c = container_of(ref, struct conn, ref);
	conns[c->fd & 31] = NULL;
	pthread_mutex_unlock(&conns_lock);
	free(c);
}

struct conn *conn_get(int fd)
{
	struct conn *c;

	pthread_mutex_lock(&conns_lock);
	c = conns[fd & 31];
	if (!c) {
		pthread_mutex_unlock(&conns_lock);
		return NULL;
	}
	kref_get(&c->ref);
	pthread_mutex_unlock(&conns_lock);
	if (c->dead)
		return NULL;	/* expect: rule 2 */
	return c;
}

void conn_put(struct conn *c) { kref_put_mutex(&c->ref, conn_release, &conns_lock); }
