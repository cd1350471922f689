/* SPDX-License-Identifier: MIT */
/*
 * Fixed twin of r2_drbd_rdma_established_work.c (own code): LINBIT/drbd
 * commit 6e726deed0c3e12a2aa827c6304d4f81895e0d5e,
 * drbd/drbd_transport_rdma.c.  The "connected" reference is taken in the
 * work, after the cm was validated and just before it is marked
 * connected; every exit drops the work's reference.
 */
#include <linux/kref.h>
#include <linux/slab.h>
#include "kernel_shim.h"

struct dtr_path;
struct dtr_cm { struct kref kref; struct work_struct establish_work; struct dtr_path *path; int connected; };
struct dtr_path { struct dtr_cm *cm; };

static void dtr_destroy_cm(struct kref *kref)
{
	kfree(container_of(kref, struct dtr_cm, kref));
}

void dtr_path_established_work_fn(struct work_struct *work)
{
	struct dtr_cm *cm = container_of(work, struct dtr_cm, establish_work);

	if (cm != cm->path->cm)
		goto out_put;
	kref_get(&cm->kref);	/* connected -> expect a disconnect in the future */
	cm->connected = 1;
out_put:
	kref_put(&cm->kref, dtr_destroy_cm);	/* the work's reference */
}

void dtr_cma_event_established(struct dtr_cm *cm)
{
	kref_get(&cm->kref);	/* for the work */
	INIT_WORK(&cm->establish_work, dtr_path_established_work_fn);
	schedule_work(&cm->establish_work);
}

void dtr_cm_disconnected(struct dtr_cm *cm)
{
	if (cm->connected) {
		cm->connected = 0;
		kref_put(&cm->kref, dtr_destroy_cm);
	}
}
