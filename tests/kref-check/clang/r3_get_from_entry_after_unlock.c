/* SPDX-License-Identifier: MIT */
/* Rule 3: the table's entry is found under the table lock, the lock is
 * dropped, and only then is the entry's session loaded and got: a final
 * put of the session, which unlinks it under that lock, can run in
 * between. */
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
	pthread_mutex_unlock(&t->lock);
	if (!sl)
		return;
	s = sl->session;
	kref_get(&s->ref);	/* expect: rule 3 */
	session_serve(s);
	kref_put(&s->ref, session_release);
}
