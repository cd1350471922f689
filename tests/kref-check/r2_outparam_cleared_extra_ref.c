/* SPDX-License-Identifier: MIT */
/* Rule 2: the look-alike of ok_outparam_escaped_extra_ref.c whose reject
 * path takes the connection back from the caller (*ret = NULL): nothing
 * outside holds it any more, and the extra reference taken for the event
 * is not put on that path while another failure puts it. */
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
		goto reject;	/* expect: rule 2 */

	err = conn_start(c);
	if (err)
		kref_put(&c->ref, conn_release);
	return err;

reject:
	*ret = NULL;
	chan_reject(ch);
	return -EAGAIN;
}
