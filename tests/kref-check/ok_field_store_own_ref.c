/* SPDX-License-Identifier: MIT */
/* The handshake gives the session's field a reference of its own before
 * storing the connection, keeps using it with the reference it came with,
 * and drops that one when done. */
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

void session_adopt(struct session *s, struct conn *c)
{
	kref_get(&c->ref);
	pthread_mutex_lock(&s->lock);
	s->conn = c;
	pthread_mutex_unlock(&s->lock);
	if (send_greeting(c->fd))
		session_close(s);
	kref_put(&c->ref, conn_release);
}

/* Giving the field the reference the function came with is fine when the
 * function is done with the pointer by the unlock. */
void session_adopt_last_use(struct session *s, struct conn *c)
{
	c->fd = -c->fd;
	pthread_mutex_lock(&s->lock);
	s->conn = c;
	pthread_mutex_unlock(&s->lock);
}
