/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: Linux commit
 * c0951d651254b7d7f9a15d3ef149e8d2c9ff6ab6 "ovpn: hold peer before
 * scheduling keepalive work" (ovpn tree, for net; fixes 3ecfd9349f40),
 * drivers/net/ovpn/peer.c.  The keepalive work consumes a peer reference,
 * but the scheduler queued the work first and took the reference, through
 * the driver's own ovpn_peer_hold(), only once schedule_work() said it was
 * queued: the worker may already have run and dropped a reference it was
 * never given.
 */
#include <linux/kref.h>
#include <linux/slab.h>
#include "kernel_shim.h"

struct ovpn_peer { struct kref refcount; struct work_struct keepalive_work; int id; };

void ovpn_xmit_special(struct ovpn_peer *peer);	/* drops the reference */

static void ovpn_peer_release(struct kref *kref)
{
	kfree(container_of(kref, struct ovpn_peer, refcount));
}

static bool ovpn_peer_hold(struct ovpn_peer *peer)
{
	return kref_get_unless_zero(&peer->refcount);
}

static void ovpn_peer_put(struct ovpn_peer *peer)
{
	kref_put(&peer->refcount, ovpn_peer_release);
}

void ovpn_peer_keepalive_send(struct work_struct *work)
{
	struct ovpn_peer *peer = container_of(work, struct ovpn_peer, keepalive_work);

	ovpn_xmit_special(peer);
}

void ovpn_peer_keepalive_work_single(struct ovpn_peer *peer)
{
	INIT_WORK(&peer->keepalive_work, ovpn_peer_keepalive_send);
	if (schedule_work(&peer->keepalive_work))
		ovpn_peer_hold(peer);	/* expect: rule 1 */
	ovpn_peer_put(peer);
}
