/* SPDX-License-Identifier: MIT */
/* The reaper takes an expired session out of the table and drops the
 * table's reference, then marks the session reaped.  The reaper holds no
 * reference of its own: the table's was the last one, and the store is a
 * use after the free.  (A later put of the same session would have shown
 * the path held another, as in ok_param_put_twice_used_between.c.) */
#include <pthread.h>
#include <stdlib.h>
#include <kref.h>

struct session {
	struct kref ref;
	int id;
	int reaped;
};

static pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;
static struct session *table[128];

static void session_free(struct kref *ref)
{
	free(container_of(ref, struct session, ref));
}

void session_reap(struct session *s)
{
	pthread_mutex_lock(&table_lock);
	table[s->id] = NULL;
	pthread_mutex_unlock(&table_lock);
	kref_put(&s->ref, session_free);	/* the table's */
	s->reaped = 1;	/* expect: rule 2 */
}
