/* SPDX-License-Identifier: MIT */
/* Correct: the session takes its own reference on the user it keeps,
 * read out of the request, and its release puts it. */
#include <stdlib.h>
#include <kref.h>

struct user { struct kref ref; char name[32]; };
struct request { struct user *user; int id; };
struct session { struct kref ref; struct user *owner; int id; };

static void user_release(struct kref *ref)
{
	free(container_of(ref, struct user, ref));
}

void user_get(struct user *u)
{
	kref_get(&u->ref);
}

void user_put(struct user *u)
{
	kref_put(&u->ref, user_release);
}

static void session_release(struct kref *ref)
{
	struct session *s = container_of(ref, struct session, ref);

	user_put(s->owner);
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
	user_get(req->user);
	s->owner = req->user;
	return s;
}
