/* SPDX-License-Identifier: MIT */
/* Rule 2 kept: the field is read before the puts. */
#include <stdlib.h>
#include <kref.h>

struct conn { struct kref ref; int fd; };

static void conn_release(struct kref *ref)
{
	free(container_of(ref, struct conn, ref));
}

int conn_close(struct conn *c)
{
	int fd = c->fd;

	kref_get(&c->ref);
	kref_put(&c->ref, conn_release);
	kref_put(&c->ref, conn_release);
	return fd;
}
