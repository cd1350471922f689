/* SPDX-License-Identifier: MIT */
/* Rule 3, correct: the same shared table, but the workers find a session
 * and take their reference under the table's mutex, and the reaper takes
 * a session out under it too; the final put takes the mutex as well
 * (kref_put_mutex), so no find can meet an object whose count reached 0. */
#include <pthread.h>
#include <stdlib.h>
#include <kref.h>

struct htab;
/* A hash table of the program's own library: no locking, no counting. */
void *htab_get(struct htab *t, unsigned long key);
void *htab_take(struct htab *t, unsigned long key);

struct session {
	unsigned long key;
	struct kref ref;
	int idle;
};

static struct htab *sessions;
static pthread_mutex_t sessions_lock = PTHREAD_MUTEX_INITIALIZER;

static void session_release(struct kref *ref)
{
	pthread_mutex_unlock(&sessions_lock);
	free(container_of(ref, struct session, ref));
}

static void *worker(void *arg)
{
	unsigned long key = (unsigned long)arg;
	struct session *s;

	pthread_mutex_lock(&sessions_lock);
	s = htab_get(sessions, key);
	if (s)
		kref_get(&s->ref);
	pthread_mutex_unlock(&sessions_lock);
	if (!s)
		return NULL;
	s->idle = 0;
	kref_put_mutex(&s->ref, session_release, &sessions_lock);
	return NULL;
}

static void *reaper(void *arg)
{
	struct session *s;

	pthread_mutex_lock(&sessions_lock);
	s = htab_take(sessions, (unsigned long)arg);
	pthread_mutex_unlock(&sessions_lock);
	if (s)
		kref_put_mutex(&s->ref, session_release, &sessions_lock);
	return NULL;
}

void serve(unsigned long key)
{
	pthread_t a, b;

	pthread_create(&a, NULL, worker, (void *)key);
	pthread_create(&b, NULL, reaper, (void *)key);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
}
