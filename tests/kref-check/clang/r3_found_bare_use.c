/* SPDX-License-Identifier: MIT */
/* Rule 3: the lookup walks the session table with no lock and no
 * reference, while the final put unlinks and frees a session under the
 * table's lock: the walk reads sessions that may be gone. */
#include <pthread.h>
#include <stdlib.h>
#include <kref.h>

struct session { struct kref ref; int id; long bytes; struct session *next; };
struct table { pthread_mutex_t lock; struct session *head; };

static void session_release(struct kref *ref)
{
	free(container_of(ref, struct session, ref));
}

void session_remove(struct table *t, struct session *s)
{
	struct session **pp;

	pthread_mutex_lock(&t->lock);
	for (pp = &t->head; *pp; pp = &(*pp)->next)
		if (*pp == s) {
			*pp = s->next;
			break;
		}
	kref_put(&s->ref, session_release);
	pthread_mutex_unlock(&t->lock);
}

long session_bytes(struct table *t, int id)
{
	struct session *s;

	for (s = t->head; s; s = s->next)
		if (s->id == id)	/* expect: rule 3 */
			return s->bytes;
	return -1;
}
