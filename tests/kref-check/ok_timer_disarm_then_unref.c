/* SPDX-License-Identifier: MIT */
/* Rule 2, correct, plain C with its own event loop.  An armed timer
 * holds a reference on its session.  Closing a session disarms the
 * timer; if it was still armed, its reference is the closer's to drop.
 * Then the closer drops the reference it got from the lookup. */
#include <kref.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

struct session {
	struct kref ref;
	struct loop_timer *idle_timer;
	int fd;
};

/* Stops a timer; true if it was armed (its callback will not run). */
extern bool loop_timer_disarm(struct loop_timer *t);
/* Finds the session of fd and returns it with a new reference, or NULL. */
extern struct session *session_lookup(int fd);

static void session_free(struct kref *ref)
{
	free(container_of(ref, struct session, ref));
}

static void session_unref(struct session *s)
{
	kref_put(&s->ref, session_free);
}

void session_close(int fd)
{
	struct session *s = session_lookup(fd);

	if (s == NULL)
		return;
	if (loop_timer_disarm(s->idle_timer))
		session_unref(s);
	session_unref(s);
}
