/* SPDX-License-Identifier: MIT */
/* Rule 2: a reference taken for a callback that a failed start never
 * runs: the error path must put it. */
#include <stdlib.h>
#include <kref.h>

struct conn { struct kref ref; int fd; };

/* Starts resolving name; cb(arg) runs later.  0 if started, -1 if not. */
extern int resolve_async(const char *name, void (*cb)(int err, void *arg), void *arg);

static void conn_release(struct kref *ref)
{
	free(container_of(ref, struct conn, ref));
}

static void resolved(int err, void *arg)
{
	struct conn *c = arg;

	c->fd = err ? -1 : 0;
	kref_put(&c->ref, conn_release);
}

int conn_resolve(struct conn *c, const char *name)
{
	kref_get(&c->ref);
	if (resolve_async(name, resolved, c) == 0)
		return 0;
	return -1;	/* expect: rule 2 */
}

/* Its get wrapper keeps the reference on every path: not a leak. */
void conn_get(struct conn *c)
{
	kref_get(&c->ref);
}
