/* SPDX-License-Identifier: MIT */
/*
 * lttng-tools (lttng/lttng-tools), fix
 * 0318876b646d8f16bf063a59e157172739ca7899,
 * src/bin/lttng-sessiond/manage-kernel.c: update_kernel_poll() takes a
 * reference on each session of the list with session_get() and, on the
 * normal path through the loop body, never releases it; the sessions leak
 * and the session daemon's teardown waits for them forever.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <kref.h>

struct ltt_kernel_channel {
	int fd;
	struct ltt_kernel_channel *next;
};

struct ltt_kernel_session {
	struct ltt_kernel_channel *channel_list;
};

struct ltt_session {
	struct kref ref;
	pthread_mutex_t lock;
	struct ltt_kernel_session *kernel_session;
	struct ltt_session *next;
};

struct ltt_session_list {
	pthread_mutex_t lock;
	struct ltt_session *head;
};

struct lttng_poll_event;

#define LPOLLIN		0x001
#define LPOLLRDNORM	0x040

/* Adds fd to the poll set; returns a negative value on failure. */
extern int lttng_poll_add(struct lttng_poll_event *events, int fd, unsigned int req_events);
/* Unlinks the session and frees it (called on the last put). */
extern void session_release(struct kref *ref);
/* The global list of sessions; takes no reference. */
extern struct ltt_session_list *session_get_list(void);

static void session_lock_list(void)
{
	pthread_mutex_lock(&session_get_list()->lock);
}

static void session_unlock_list(void)
{
	pthread_mutex_unlock(&session_get_list()->lock);
}

static void session_lock(struct ltt_session *session)
{
	pthread_mutex_lock(&session->lock);
}

static void session_unlock(struct ltt_session *session)
{
	pthread_mutex_unlock(&session->lock);
}

/* Fails if the session is being destroyed. */
static bool session_get(struct ltt_session *session)
{
	return kref_get_unless_zero(&session->ref);
}

static void session_put(struct ltt_session *session)
{
	kref_put(&session->ref, session_release);
}

/*
 * Update the kernel poll set of all channel fd available over all tracing
 * session.
 */
int update_kernel_poll(struct lttng_poll_event *events)
{
	int ret;
	struct ltt_kernel_channel *channel;
	struct ltt_session *session;
	const struct ltt_session_list *session_list = session_get_list();

	session_lock_list();
	for (session = session_list->head; session; session = session->next) {
		if (!session_get(session)) {
			continue;
		}
		session_lock(session);
		if (session->kernel_session == NULL) {
			session_unlock(session);
			session_put(session);
			continue;
		}

		for (channel = session->kernel_session->channel_list; channel;
				channel = channel->next) {
			/* Add channel fd to the kernel poll set */
			ret = lttng_poll_add(events, channel->fd, LPOLLIN | LPOLLRDNORM);
			if (ret < 0) {
				session_unlock(session);
				session_put(session);
				goto error;
			}
		}
		session_unlock(session); /* expect: rule 2 */
	}
	session_unlock_list();

	return 0;

error:
	session_unlock_list();
	return -1;
}
