/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: torvalds/linux commit
 * b5de0c60cc30c2a3513c7188c73f3f29acc29234 "RDMA/cma: Fix use after free
 * race in roce multicast join", drivers/infiniband/core/cma.c.  The RoCE
 * join queued a work item that touches the cm id but held no reference on
 * it, so rdma_destroy_id() could free the id under the running work.
 */
#include <linux/kref.h>
#include <linux/slab.h>
#include "kernel_shim.h"

struct rdma_id_private { struct kref ref; int state; };
struct iboe_mcast_work { struct work_struct work; struct rdma_id_private *id; };

static void id_release(struct kref *kref)
{
	kfree(container_of(kref, struct rdma_id_private, ref));
}

static void iboe_mcast_work_handler(struct work_struct *w)
{
	struct iboe_mcast_work *mw = container_of(w, struct iboe_mcast_work, work);

	mw->id->state = 1;
	kref_put(&mw->id->ref, id_release);
	kfree(mw);
}

int cma_iboe_join_multicast(struct rdma_id_private *id_priv)
{
	struct iboe_mcast_work *mw = kzalloc(sizeof(*mw), GFP_KERNEL);

	if (!mw)
		return -ENOMEM;
	mw->id = id_priv;
	INIT_WORK(&mw->work, iboe_mcast_work_handler);
	schedule_work(&mw->work);	/* expect: rule 1 */
	return 0;
}
