/* SPDX-License-Identifier: MIT */
/* Rule 3: worker threads find a session in a table every thread shares
 * and take their reference after the find, with no lock at all; the
 * reaper thread takes sessions out of the same table and drops the
 * table's reference, also with no lock.  Between a worker's find and its
 * get the reaper may drop the last reference and free the session. */
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

static void session_release(struct kref *ref)
{
	free(container_of(ref, struct session, ref));
}

static void *worker(void *arg)
{
	unsigned long key = (unsigned long)arg;
	struct session *s;

	s = htab_get(sessions, key);
	if (!s)
		return NULL;
	kref_get(&s->ref);	/* expect: rule 3 */
	s->idle = 0;
	kref_put(&s->ref, session_release);
	return NULL;
}

static void *reaper(void *arg)
{
	struct session *s = htab_take(sessions, (unsigned long)arg);

	if (s)
		kref_put(&s->ref, session_release);
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
