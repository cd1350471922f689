/* SPDX-License-Identifier: MIT */
/* Rule 2, correct: the accept handler makes a connection, gives it to the
 * caller in *ret, then takes an extra reference for the event that will
 * follow.  When preparing fails it returns an error with *ret still set:
 * by its contract the caller then puts the connection's references (the
 * creation's is not put here either).  The function puts the extra one
 * itself on another failure; that is no reason to call the first exit a
 * leak.  Shape of dtr_cma_accept() (LINBIT/drbd 87f7162f8ac1), written
 * anew. */
#include <errno.h>
#include <stdlib.h>
#include <kref.h>

struct chan;
struct conn { struct kref ref; int state; struct chan *chan; };

static void conn_release(struct kref *ref)
{
	free(container_of(ref, struct conn, ref));
}

/* A new connection with one reference, or NULL. */
struct conn *conn_new(struct chan *ch);
/* Keeps the connection's first reference when it succeeds; 0 or -errno. */
int chan_prepare(struct chan *ch, struct conn *c);
int conn_start(struct conn *c);
void chan_reject(struct chan *ch);

/* On an error with *ret set, the caller puts one reference of *ret. */
int chan_accept(struct chan *ch, struct conn **ret)
{
	struct conn *c;
	int err;

	*ret = NULL;
	c = conn_new(ch);
	if (!c)
		return -ENOMEM;
	c->state = 1;
	*ret = c;
	kref_get(&c->ref);	/* for the established event */

	err = chan_prepare(ch, c);
	if (err)
		goto reject;

	err = conn_start(c);
	if (err)
		kref_put(&c->ref, conn_release);
	return err;

reject:
	chan_reject(ch);
	return -EAGAIN;
}
