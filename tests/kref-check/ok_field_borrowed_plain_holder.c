/* SPDX-License-Identifier: MIT */
/* Correct: a cursor on the caller's stack, not a counted object, points
 * at the user it is walking; it never outlives the caller's reference. */
#include <stdlib.h>
#include <kref.h>

struct user { struct kref ref; int uid; };
struct request { struct user *user; int id; };
struct cursor { struct user *at; int pos; };

static void user_release(struct kref *ref)
{
	free(container_of(ref, struct user, ref));
}

void user_put(struct user *u)
{
	kref_put(&u->ref, user_release);
}

int cursor_start(struct cursor *c, const struct request *req)
{
	c->pos = 0;
	c->at = req->user;
	return c->at ? c->at->uid : -1;
}
