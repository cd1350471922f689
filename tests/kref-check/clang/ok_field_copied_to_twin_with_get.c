/* SPDX-License-Identifier: MIT */
/* Rule 1 kept: the clone takes its own reference on the credentials it
 * copies; a second clone moves them, clearing the original's field. */
#include <stdlib.h>
#include <kref.h>

struct cred { struct kref ref; int uid; };
struct request { struct kref ref; struct cred *cred; int op; };

/* Drops what the request holds (its credentials among them) and frees it. */
extern void request_free(struct request *rq);

static void request_release(struct kref *ref)
{
	request_free(container_of(ref, struct request, ref));
}

struct request *request_clone(struct request *orig)
{
	struct request *rq = calloc(1, sizeof(*rq));

	if (!rq)
		return NULL;
	kref_init(&rq->ref);
	rq->op = orig->op;
	if (orig->cred)
		kref_get(&orig->cred->ref);
	rq->cred = orig->cred;
	return rq;
}

struct request *request_take_over(struct request *orig)
{
	struct request *rq = calloc(1, sizeof(*rq));

	if (!rq)
		return NULL;
	kref_init(&rq->ref);
	rq->cred = orig->cred;
	orig->cred = NULL;
	return rq;
}

void request_put(struct request *rq)
{
	kref_put(&rq->ref, request_release);
}
