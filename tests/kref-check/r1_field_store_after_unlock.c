/* SPDX-License-Identifier: MIT */
/* Rule 1: the handshake thread gives the connection it was started with to
 * the session's field (whose reference session_close() takes out and puts)
 * without a reference for the field, then goes on using the connection
 * once the lock is dropped: a concurrent close can free it under it. */
#include <pthread.h>
#include <stdlib.h>
#include <kref.h>

struct conn { struct kref ref; int fd; };
struct session { pthread_mutex_t lock; struct conn *conn; };

int send_greeting(int fd);

static void conn_release(struct kref *ref)
{
	free(container_of(ref, struct conn, ref));
}

void session_close(struct session *s)
{
	struct conn *c;

	pthread_mutex_lock(&s->lock);
	c = s->conn;
	s->conn = NULL;
	pthread_mutex_unlock(&s->lock);
	if (c)
		kref_put(&c->ref, conn_release);
}

/* Started with a reference on c taken for it. */
void session_adopt(struct session *s, struct conn *c)
{
	pthread_mutex_lock(&s->lock);
	s->conn = c;	/* expect: rule 1 */
	pthread_mutex_unlock(&s->lock);
	if (send_greeting(c->fd))
		session_close(s);
}
