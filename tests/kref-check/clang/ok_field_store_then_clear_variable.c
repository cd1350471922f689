/* SPDX-License-Identifier: MIT */
/* GLib-like: the path's own reference is dropped by a declared
 * clear helper given the variable's address (it unrefs *pp and NULLs it). */
#include <stdlib.h>
#include <kref.h>

struct reply { struct kref ref; int code; };
struct request { struct reply *reply; int id; };

/* Returns a new reply, one reference for the caller. */
extern struct reply *reply_new(int code);
/* Unrefs the reply *pp points to, if any, and sets *pp to NULL. */
extern void reply_clear(struct reply **pp);

static void reply_release(struct kref *ref)
{
	free(container_of(ref, struct reply, ref));
}

static void request_set_reply(struct request *rq, struct reply *r)
{
	kref_get(&r->ref);
	rq->reply = r;
}

void request_fail(struct request *rq, int code)
{
	struct reply *r = reply_new(code);

	if (!r)
		return;
	request_set_reply(rq, r);
	reply_clear(&r);
}
