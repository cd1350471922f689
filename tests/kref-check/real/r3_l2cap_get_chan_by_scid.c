/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: torvalds/linux commit
 * d0be8347c623e0ac4202a1d4e0373882821f56b0 "Bluetooth: L2CAP: Fix
 * use-after-free caused by l2cap_chan_put", net/bluetooth/l2cap_core.c.
 * l2cap_get_chan_by_scid() finds the channel in the connection's list
 * under conn->chan_lock (through __l2cap_get_chan_by_scid) and takes a
 * plain reference; the channel's final put takes no lock, so a channel
 * whose last reference was already dropped could be revived and used.
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
	kref_put(&c->kref, l2cap_chan_destroy);	/* expect: rule 3 (the other half) */
}

static void l2cap_chan_hold(struct l2cap_chan *c)
{
	kref_get(&c->kref);
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
		l2cap_chan_hold(c);	/* expect: rule 3 */
	mutex_unlock(&conn->chan_lock);
	return c;
}
