/* SPDX-License-Identifier: MIT */
/* Rule 2: a reference taken on a looked-up session is put on no path: the
 * get was written, the put forgotten. */
#include <pthread.h>
#include <stdlib.h>
#include <kref.h>

struct session { struct kref ref; int id; long bytes; };

static pthread_mutex_t sessions_lock = PTHREAD_MUTEX_INITIALIZER;

/* The session with that id, or NULL; sessions_lock held. */
extern struct session *session_lookup(int id);

static void session_release(struct kref *ref)
{
	free(container_of(ref, struct session, ref));
}

long session_bytes(int id)
{
	struct session *s;
	long n;

	pthread_mutex_lock(&sessions_lock);
	s = session_lookup(id);
	if (s)
		kref_get(&s->ref);
	pthread_mutex_unlock(&sessions_lock);
	if (!s)
		return -1;
	n = s->bytes;	/* expect: rule 2 */
	return n;
}

void session_drop(struct session *s)
{
	kref_put(&s->ref, session_release);
}
