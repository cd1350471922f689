/* SPDX-License-Identifier: MIT */
/* Rule 2, correct: a pointer documented as borrowed is put only after
 * the function took a reference of its own on it. */
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

static void session_get(struct session *s)
{
	kref_get(&s->kref);
}

/* Returns the session for id, borrowed: no reference is taken, the
 * table holds it. */
struct session *session_table_peek(int id);
long session_touch(struct session *s);

long session_refresh(int id)
{
	struct session *s = session_table_peek(id);
	long t;

	if (!s)
		return 0;
	session_get(s);
	t = session_touch(s);
	session_put(s);
	return t;
}
