/* SPDX-License-Identifier: MIT */
/* Rule 2: typed callback API: the registration's destroy puts the
 * connection, and the callback puts it too. */
#include <stdlib.h>
#include <kref.h>

struct conn { struct kref ref; int fd; int dead; };

extern int loop_add_io(int fd, int (*fn)(int fd, struct conn *c), struct conn *c,
		       void (*destroy)(struct conn *c));

static void conn_release(struct kref *ref)
{
	free(container_of(ref, struct conn, ref));
}

static void conn_put(struct conn *c)
{
	kref_put(&c->ref, conn_release);	/* expect: rule 2 */
}

static int conn_on_io(int fd, struct conn *c)
{
	(void)fd;
	if (!c->dead)
		return 1;
	conn_put(c);
	return 0;
}

int conn_watch(struct conn *c)
{
	kref_get(&c->ref);
	return loop_add_io(c->fd, conn_on_io, c, conn_put);
}
