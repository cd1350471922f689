/* SPDX-License-Identifier: MIT */
/* Rule 2: the session peek is documented to hand back a borrowed pointer
 * (the table keeps the only reference), but the idle check drops a
 * reference on what it peeked at: a put of a reference it never had. */
#include <stdlib.h>
#include <kref.h>

struct session { struct kref kref; long last_seen; };

static void session_free(struct kref *kref)
{
	free(container_of(kref, struct session, kref));
}

static void session_put(struct session *s)
{
	kref_put(&s->kref, session_free);
}

/* Returns the session for id, borrowed: no reference is taken, the
 * table holds it. */
struct session *session_table_peek(int id);

int session_idle(int id, long now)
{
	struct session *s = session_table_peek(id);
	int idle;

	if (!s)
		return 0;
	idle = now - s->last_seen > 60;
	session_put(s);	/* expect: rule 2 */
	return idle;
}
