/* SPDX-License-Identifier: MIT */
/* Rule 2: a library's lookup, declared only, documents in its kernel-doc
 * that it returns the route with its count raised.  The statistics
 * request looks it up in one case of a switch and reads it, and the
 * function ends without dropping that reference: no path puts it. */
#include <stdlib.h>
#include <kref.h>

struct route { struct kref users; unsigned long hits; int metric; };
struct stats_req { int kind; unsigned int dst; unsigned long out; };

/**
 * rt_table_resolve - find the route for a destination
 * @dst: destination address
 *
 * Return: the matching route, with its refcount incremented; the caller
 * drops it with rt_release().  NULL when nothing matches.
 */
struct route *rt_table_resolve(unsigned int dst);
void rt_release(struct route *rt);
unsigned long iface_counter(int kind);

int stats_fill(struct stats_req *req)
{
	struct route *rt;

	switch (req->kind) {
	case 1:
		rt = rt_table_resolve(req->dst);	/* expect: rule 2 */
		if (!rt)
			return -1;
		req->out = rt->hits + (unsigned long)rt->metric;
		break;
	default:
		req->out = iface_counter(req->kind);
		break;
	}
	return 0;
}
