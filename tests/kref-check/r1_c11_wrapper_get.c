/* SPDX-License-Identifier: MIT */
/* Rule 1 with C11 threads and a get wrapper: the session is held for the
 * reader thread after thrd_create returned. */
#include <stdlib.h>
#include <threads.h>
#include <kref.h>

typedef struct session {
	int fd;
	struct kref users;
} session_t;

static void session_release(struct kref *k)
{
	session_t *s = container_of(k, session_t, users);

	free(s);
}

static session_t *session_hold(session_t *s)
{
	kref_get(&s->users);
	return s;
}

static void session_drop(session_t *s)
{
	kref_put(&s->users, session_release);
}

static int reader_main(void *arg)
{
	session_t *s = arg;

	(void)s->fd;
	session_drop(s);
	return 0;
}

int session_start_reader(session_t *s, thrd_t *reader)
{
	if (thrd_create(reader, reader_main, s) != thrd_success)
		return -1;
	session_hold(s);	/* expect: rule 1 */
	return 0;
}
