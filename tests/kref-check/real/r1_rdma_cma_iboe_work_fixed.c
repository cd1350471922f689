/* SPDX-License-Identifier: MIT */
/*
 * Fixed twin of r1_rdma_cma_iboe_work.c (own code): torvalds/linux commit
 * b5de0c60cc30c2a3513c7188c73f3f29acc29234, drivers/infiniband/core/cma.c.
 * The work item owns a reference on the id, taken before it is queued and
 * dropped by the handler.
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
	kref_get(&id_priv->ref);
	mw->id = id_priv;
	INIT_WORK(&mw->work, iboe_mcast_work_handler);
	schedule_work(&mw->work);
	return 0;
}
