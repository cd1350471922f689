/* SPDX-License-Identifier: MIT */
/* Rule 3: a connection's count lives in a header it embeds by value
 * (&c->hdr.life.count).  The registry a lookup searches belongs to a
 * parameter whose structure carries its own lock, of a type the program
 * renames with a typedef; the lookup gets under that lock, but the plain
 * put lets the count reach 0 while the release still waits to take the
 * connection out of the registry (issue 18: reading nested members,
 * lock typedefs and a table in a locked structure). */
#include <pthread.h>
#include <stdlib.h>
#include <kref.h>

typedef pthread_mutex_t reg_guard_t;

struct fdmap;
void *fdmap_lookup(struct fdmap *m, int fd);	/* a library's table */
void fdmap_erase(struct fdmap *m, int fd);

struct lifetime { unsigned flags; struct kref count; };
struct obj_hdr { int kind; struct lifetime life; };
struct registry { reg_guard_t guard; struct fdmap *by_fd; };
struct conn {
	struct obj_hdr hdr;
	struct registry *owner;
	int fd;
};

static void conn_release(struct kref *count)
{
	struct conn *c = container_of(count, struct conn, hdr.life.count);

	pthread_mutex_lock(&c->owner->guard);
	fdmap_erase(c->owner->by_fd, c->fd);
	pthread_mutex_unlock(&c->owner->guard);
	free(c);
}

void conn_drop(struct conn *c)
{
	kref_put(&c->hdr.life.count, conn_release);	/* expect: rule 3 */
}

struct conn *conn_by_fd(struct registry *reg, int fd)
{
	struct conn *c;

	pthread_mutex_lock(&reg->guard);
	c = fdmap_lookup(reg->by_fd, fd);
	if (c != NULL)
		kref_get(&c->hdr.life.count);	/* expect: rule 3 */
	pthread_mutex_unlock(&reg->guard);
	return c;
}
