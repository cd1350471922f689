/* SPDX-License-Identifier: MIT */
/* Rule 2: a connection owns its buffer pool; the connection's release
 * function destroys that pool.  The close path keeps a pointer to the
 * pool, drops its reference on the connection (possibly the last), then
 * reads the pool's statistics through the saved pointer. */
#include <stdlib.h>
#include <kref.h>

struct pool { long allocated; long peak; };
struct conn { struct kref refs; struct pool *bufs; int fd; };

void pool_destroy(struct pool *p);
void log_peak(long peak);

static void conn_release(struct kref *k)
{
	struct conn *c = container_of(k, struct conn, refs);

	pool_destroy(c->bufs);
	free(c);
}

void conn_close(struct conn *c)
{
	struct pool *bufs = c->bufs;

	c->fd = -1;
	kref_put(&c->refs, conn_release);
	log_peak(bufs->peak);	/* expect: rule 2 */
}
