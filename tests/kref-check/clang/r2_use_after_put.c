/* SPDX-License-Identifier: MIT */
/* Rule 2: the object is read after this path put the reference it took. */
#include <stdlib.h>
#include <kref.h>

struct conn { struct kref ref; int fd; };

static void conn_release(struct kref *ref)
{
	free(container_of(ref, struct conn, ref));
}

int conn_close(struct conn *c)
{
	kref_get(&c->ref);
	kref_put(&c->ref, conn_release);
	kref_put(&c->ref, conn_release);
	return c->fd;	/* expect: rule 2 */
}
