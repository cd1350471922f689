/* SPDX-License-Identifier: MIT */
/* Rule 1, userspace: an idle watchdog is registered with the session as
 * its data; the registration keeps that reference until the watchdog is
 * unregistered.  session_expire() takes ownership of the session it is
 * given (it drops it last), so the watchdog, which holds no reference of
 * its own, gives away the registration's: the session can be freed while
 * the registration still points at it. */
#include <stdlib.h>
#include <kref.h>

struct session {
	struct kref live;
	int fd;
	int expired;
};

/* Runs cb(data) every `secs` seconds until it returns 0. */
void loop_every(int secs, int (*cb)(void *data), void *data);
void session_free(struct session *s);
void send_goodbye(int fd);

static void session_release(struct kref *k)
{
	session_free(container_of(k, struct session, live));
}

void session_drop(struct session *s)
{
	kref_put(&s->live, session_release);
}

/* Consumes the caller's reference on s. */
void session_expire(struct session *s)
{
	s->expired = 1;
	send_goodbye(s->fd);
	session_drop(s);
}

static int idle_watchdog(void *data)
{
	struct session *s = data;

	if (s->expired)
		return 0;
	session_expire(s);	/* expect: rule 1 */
	return 0;
}

void session_watch(struct session *s)
{
	loop_every(30, idle_watchdog, s);
}
