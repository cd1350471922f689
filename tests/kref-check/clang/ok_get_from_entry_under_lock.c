/* SPDX-License-Identifier: MIT */
/* The table's entry is found and its session got under the table lock;
 * the session is served with that reference after the lock is dropped. */
#include <pthread.h>
#include <stdlib.h>
#include <kref.h>

struct session { struct kref ref; int id; };
struct slot { int key; struct session *session; };
struct table { pthread_mutex_t lock; struct slot *slots; unsigned n; };

/* Finds key's slot; the slot belongs to the table, table lock held. */
extern struct slot *table_find(struct table *t, int key);
extern void session_serve(struct session *s);

static void session_release(struct kref *ref)
{
	free(container_of(ref, struct session, ref));
}

void serve(struct table *t, int key)
{
	struct slot *sl;
	struct session *s;

	pthread_mutex_lock(&t->lock);
	sl = table_find(t, key);
	if (!sl) {
		pthread_mutex_unlock(&t->lock);
		return;
	}
	s = sl->session;
	kref_get(&s->ref);
	pthread_mutex_unlock(&t->lock);
	session_serve(s);
	kref_put(&s->ref, session_release);
}
