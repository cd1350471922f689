/* SPDX-License-Identifier: MIT */
/* Rule 3: Release itself (not a callee) does kref_get on the dying object
 * to defer the free. */
#include <stdlib.h>
#include <kref.h>

struct req { struct kref ref; struct req *next; };
static struct req *deferred;

static void req_release(struct kref *ref)
{
	struct req *r = container_of(ref, struct req, ref);

	kref_get(&r->ref);	/* expect: rule 3 */
	r->next = deferred;
	deferred = r;
}

void req_put(struct req *r) { kref_put(&r->ref, req_release); }
