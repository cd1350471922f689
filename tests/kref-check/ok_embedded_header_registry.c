/* SPDX-License-Identifier: MIT */
/* Correct: the same registry of connections whose count sits in an
 * embedded header (&c->hdr.life.count), found and got under the
 * registry's own lock; the final put takes that lock too
 * (kref_put_mutex), so no lookup can find a connection whose count
 * already reached 0 (issue 18). */
#include <pthread.h>
#include <stdlib.h>
#include <kref.h>

typedef pthread_mutex_t reg_guard_t;

struct fdmap;
void *fdmap_lookup(struct fdmap *m, int fd);
void fdmap_erase(struct fdmap *m, int fd);

struct lifetime { unsigned flags; struct kref count; };
struct obj_hdr { int kind; struct lifetime life; };
struct registry { reg_guard_t guard; struct fdmap *by_fd; };
struct conn {
	struct obj_hdr hdr;
	struct registry *owner;
	int fd;
};

/* Called with c->owner->guard held, by kref_put_mutex. */
static void conn_release(struct kref *count)
{
	struct conn *c = container_of(count, struct conn, hdr.life.count);

	fdmap_erase(c->owner->by_fd, c->fd);
	pthread_mutex_unlock(&c->owner->guard);
	free(c);
}

void conn_drop(struct conn *c)
{
	kref_put_mutex(&c->hdr.life.count, conn_release, &c->owner->guard);
}

struct conn *conn_by_fd(struct registry *reg, int fd)
{
	struct conn *c;

	pthread_mutex_lock(&reg->guard);
	c = fdmap_lookup(reg->by_fd, fd);
	if (c != NULL)
		kref_get(&c->hdr.life.count);
	pthread_mutex_unlock(&reg->guard);
	return c;
}
