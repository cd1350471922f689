/* SPDX-License-Identifier: MIT */
/* An extern timer API whose first parameter is an integer and whose
 * callback takes a typed pointer (no void * data): the checker must not
 * crash on it, and the double put below must still be found. */
#include <stdlib.h>
#include <kref.h>

struct conn { struct kref ref; int fd; };

/* Runs fn(c) from the timer thread after ms milliseconds; takes its own
 * reference on c. */
extern int timer_add_timeout(unsigned ms, struct conn *c, void (*fn)(struct conn *));

static void conn_release(struct kref *ref)
{
	free(container_of(ref, struct conn, ref));
}

static void conn_expire(struct conn *c)
{
	c->fd = -1;
}

void conn_put(struct conn *c)
{
	kref_put(&c->ref, conn_release);
}

int conn_arm(struct conn *c)
{
	return timer_add_timeout(5000, c, conn_expire);
}

/* A real bug elsewhere in the file, that a crash hides. */
void conn_selftest(void)
{
	struct conn *c = malloc(sizeof(*c));

	if (!c)
		return;
	kref_init(&c->ref);
	conn_put(c);
	conn_put(c);	/* expect: rule 2 */
}
