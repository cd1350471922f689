/* SPDX-License-Identifier: MIT */
/* Rule 2: the reply is created with one reference; attaching it to the
 * request takes a second one for the request.  The request is then handed
 * to a function that only reads it, and the creator's reference is never
 * put. */
#include <stdlib.h>
#include <kref.h>

struct reply { struct kref ref; int code; };
struct request { struct reply *reply; int id; };

/* Returns a new reply, one reference for the caller. */
extern struct reply *reply_new(int code);
/* Sends the request's reply to its client; keeps no reference. */
extern void request_answer(struct request *rq);

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
	request_answer(rq);
}	/* expect: rule 2 */
