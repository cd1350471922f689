/* SPDX-License-Identifier: MIT */
/*
 * Fixed twin of r3_l2cap_get_chan_by_scid.c (own code): torvalds/linux
 * commit d0be8347c623e0ac4202a1d4e0373882821f56b0,
 * net/bluetooth/l2cap_core.c.  The lookup takes its reference with
 * l2cap_chan_hold_unless_zero(), so a channel being destroyed is not found.
 */
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include "kernel_shim.h"

struct l2cap_conn { struct mutex chan_lock; struct list_head chan_l; };
struct l2cap_chan { struct kref kref; struct list_head list; unsigned short scid; int state; };

static void l2cap_chan_destroy(struct kref *kref)
{
	kfree(container_of(kref, struct l2cap_chan, kref));
}

void l2cap_chan_put(struct l2cap_chan *c)
{
	kref_put(&c->kref, l2cap_chan_destroy);
}

static struct l2cap_chan *l2cap_chan_hold_unless_zero(struct l2cap_chan *c)
{
	if (!kref_get_unless_zero(&c->kref))
		return NULL;
	return c;
}

static struct l2cap_chan *__l2cap_get_chan_by_scid(struct l2cap_conn *conn, unsigned short cid)
{
	struct l2cap_chan *c;

	list_for_each_entry(c, &conn->chan_l, list)
		if (c->scid == cid)
			return c;
	return NULL;
}

struct l2cap_chan *l2cap_get_chan_by_scid(struct l2cap_conn *conn, unsigned short cid)
{
	struct l2cap_chan *c;

	mutex_lock(&conn->chan_lock);
	c = __l2cap_get_chan_by_scid(conn, cid);
	if (c)
		c = l2cap_chan_hold_unless_zero(c);
	mutex_unlock(&conn->chan_lock);
	return c;
}
