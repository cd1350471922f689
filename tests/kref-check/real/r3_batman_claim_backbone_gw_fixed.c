/* SPDX-License-Identifier: MIT */
/*
 * Fixed twin of r3_batman_claim_backbone_gw.c (own code): torvalds/linux
 * commit 82d8701b2c930d0e96b0dbc9115a218d791cb0d2,
 * net/batman-adv/bridge_loop_avoidance.c.  Readers go through the getter,
 * which reads the field and takes the reference under claim->backbone_lock,
 * and put the gateway when done.
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

static struct backbone_gw *bla_claim_get_backbone_gw(struct bla_claim *claim)
{
	struct backbone_gw *gw;

	spin_lock_bh(&claim->backbone_lock);
	gw = claim->backbone_gw;
	kref_get(&gw->refcount);
	spin_unlock_bh(&claim->backbone_lock);
	return gw;
}

int bla_claim_dump_entry(struct bla_claim *claim)
{
	struct backbone_gw *gw = bla_claim_get_backbone_gw(claim);
	unsigned short crc;
	int ret;

	spin_lock_bh(&gw->crc_lock);
	crc = gw->crc;
	spin_unlock_bh(&gw->crc_lock);
	ret = nla_put_gw(gw->orig, crc);
	backbone_gw_put(gw);
	return ret;
}
