/* SPDX-License-Identifier: MIT */
/* Rule 1, a long-lived field filled with a borrowed pointer: a session
 * (counted, freed by its release) keeps the request's user, read out of
 * the request, with no reference of its own.  The request and its user
 * reference go away when the call returns; the session lives on. */
#include <stdlib.h>
#include <kref.h>

struct user { struct kref ref; char name[32]; };
struct request { struct user *user; int id; };
struct session { struct kref ref; struct user *owner; int id; };

static void user_release(struct kref *ref)
{
	free(container_of(ref, struct user, ref));
}

void user_put(struct user *u)
{
	kref_put(&u->ref, user_release);
}

static void session_release(struct kref *ref)
{
	struct session *s = container_of(ref, struct session, ref);

	free(s);
}

void session_put(struct session *s)
{
	kref_put(&s->ref, session_release);
}

struct session *session_open(const struct request *req)
{
	struct session *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	kref_init(&s->ref);
	s->id = req->id;
	s->owner = req->user;	/* expect: rule 1 */
	return s;
}
