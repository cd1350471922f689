/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: LINBIT/drbd commit
 * 6e726deed0c3e12a2aa827c6304d4f81895e0d5e "rdma: fix cm kref leak in
 * connection establishment", drbd/drbd_transport_rdma.c.  The event
 * handler took two references before scheduling the establish work: one
 * for the work and one for the connected state, which the disconnect puts
 * only once the cm is marked connected.  When the work found the cm no
 * longer current it returned early, dropping only the work's reference:
 * the "connected" one leaked.
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
	int stale = cm != cm->path->cm;

	kref_put(&cm->kref, dtr_destroy_cm);	/* the work's reference */
	if (stale)
		return;	/* expect: rule 2 */
	cm->connected = 1;
}

void dtr_cma_event_established(struct dtr_cm *cm)
{
	kref_get(&cm->kref);	/* connected -> expect a disconnect in the future */
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
