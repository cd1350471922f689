/* SPDX-License-Identifier: MIT */
/* Rule 2, correct: what the release function destroys is read before
 * the put; after the put only a member the release leaves alone (shared
 * with the listener, which outlives its connections) is used. */
#include <stdlib.h>
#include <kref.h>

struct pool { long allocated; long peak; };
struct listener { long closed; };
struct conn { struct kref refs; struct pool *bufs; struct listener *lst; int fd; };

void pool_destroy(struct pool *p);
void log_peak(long peak);
void listener_note_close(struct listener *l);

static void conn_release(struct kref *k)
{
	struct conn *c = container_of(k, struct conn, refs);

	pool_destroy(c->bufs);
	free(c);
}

void conn_close(struct conn *c)
{
	struct pool *bufs = c->bufs;
	struct listener *lst = c->lst;

	c->fd = -1;
	log_peak(bufs->peak);
	kref_put(&c->refs, conn_release);
	listener_note_close(lst);
}
