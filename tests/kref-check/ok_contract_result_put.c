/* SPDX-License-Identifier: MIT */
/* Rule 2, correct: what a documented lookup returns with a reference is
 * dropped (or kept in the request, whose owner drops it); what a peek
 * documented as borrowed returns is only read and never put. */
#include <stdlib.h>
#include <kref.h>

struct route { struct kref users; unsigned long hits; int metric; };
struct stats_req { int kind; unsigned int dst; unsigned long out; struct route *held; };

/**
 * rt_table_resolve - find the route for a destination
 * @dst: destination address
 *
 * Return: the matching route, with its refcount incremented; the caller
 * drops it with rt_release().  NULL when nothing matches.
 */
struct route *rt_table_resolve(unsigned int dst);
/* Returns the default route without taking a reference: valid while the
 * table is not changed. */
struct route *rt_table_peek_default(void);
void rt_release(struct route *rt);

int stats_fill(struct stats_req *req)
{
	struct route *rt;

	switch (req->kind) {
	case 1:
		rt = rt_table_resolve(req->dst);
		if (!rt)
			return -1;
		req->out = rt->hits + (unsigned long)rt->metric;
		rt_release(rt);
		break;
	case 2:
		rt = rt_table_peek_default();
		req->out = rt ? rt->hits : 0;
		break;
	default:
		req->held = rt_table_resolve(req->dst);
		break;
	}
	return 0;
}

struct route *stats_pin(unsigned int dst)
{
	struct route *rt = rt_table_resolve(dst);

	if (rt && rt->metric < 0) {
		rt_release(rt);
		return NULL;
	}
	return rt;
}
