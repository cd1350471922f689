/* SPDX-License-Identifier: MIT */
/* Rule 2 kept: the error path returns after its put. */
#include <stdlib.h>
#include <kref.h>

struct req { struct kref ref; int status; };

static void req_release(struct kref *ref)
{
	free(container_of(ref, struct req, ref));
}

extern int req_submit(const struct req *r);

int req_run(void)
{
	struct req *r = calloc(1, sizeof(*r));
	int err;

	if (!r)
		return -1;
	kref_init(&r->ref);
	err = req_submit(r);
	if (err) {
		kref_put(&r->ref, req_release);
		return err;
	}
	kref_put(&r->ref, req_release);
	return err;
}
