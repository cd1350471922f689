/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: torvalds/linux commit
 * 82d8701b2c930d0e96b0dbc9115a218d791cb0d2 "batman-adv: hold claim
 * backbone gateways by reference" (CVE-2026-31657),
 * net/batman-adv/bridge_loop_avoidance.c.  claim->backbone_gw can be
 * replaced under claim->backbone_lock, dropping the old gateway's last
 * reference; the netlink dump and the claim check read the field and used
 * the gateway with no reference at all.
 */
#include <linux/kref.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include "kernel_shim.h"

struct backbone_gw { struct kref refcount; spinlock_t crc_lock; unsigned short crc; unsigned char orig[6]; };
struct bla_claim { struct kref refcount; spinlock_t backbone_lock; struct backbone_gw *backbone_gw; };

int nla_put_gw(const unsigned char *orig, unsigned short crc);

static void backbone_gw_release(struct kref *ref)
{
	kfree(container_of(ref, struct backbone_gw, refcount));
}

void backbone_gw_put(struct backbone_gw *gw)
{
	kref_put(&gw->refcount, backbone_gw_release);
}

/* The writer: replaces the gateway and drops the claim's reference. */
void bla_claim_set_gw(struct bla_claim *claim, struct backbone_gw *gw)
{
	struct backbone_gw *old;

	kref_get(&gw->refcount);
	spin_lock_bh(&claim->backbone_lock);
	old = claim->backbone_gw;
	claim->backbone_gw = gw;
	spin_unlock_bh(&claim->backbone_lock);
	backbone_gw_put(old);
}

int bla_claim_dump_entry(struct bla_claim *claim)
{
	struct backbone_gw *gw = claim->backbone_gw;	/* expect: rule 3 */
	unsigned short crc;

	spin_lock_bh(&gw->crc_lock);
	crc = gw->crc;
	spin_unlock_bh(&gw->crc_lock);
	return nla_put_gw(gw->orig, crc);
}
