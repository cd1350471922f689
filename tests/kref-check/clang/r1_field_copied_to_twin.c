/* SPDX-License-Identifier: MIT */
/* Rule 1: a request is cloned field by field; the clone copies the
 * original's counted credentials pointer with no reference of its own,
 * and both requests will drop it. */
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
	rq->cred = orig->cred; /* expect: rule 1 */
	return rq;
}

void request_put(struct request *rq)
{
	kref_put(&rq->ref, request_release);
}
