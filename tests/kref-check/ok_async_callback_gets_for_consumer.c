/* SPDX-License-Identifier: MIT */
/* Rule 1 look-alike, userspace: the same watchdog, but it takes a
 * reference of its own for session_expire() to consume, and the
 * registration keeps its reference. */
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
	kref_get(&s->live);
	session_expire(s);
	return 0;
}

void session_watch(struct session *s)
{
	loop_every(30, idle_watchdog, s);
}
