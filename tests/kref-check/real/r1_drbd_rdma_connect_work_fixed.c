/* SPDX-License-Identifier: MIT */
/*
 * Fixed twin of r1_drbd_rdma_connect_work.c (own code): LINBIT/drbd commit
 * f1e572b1ecba7490da3e15c91901376508848e08, drbd/drbd_transport_rdma.c.
 * path->cm gets a reference of its own, taken before the pointer is
 * stored, and the work drops its reference at the end.
 */
#include <linux/kref.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include "kernel_shim.h"

struct dtr_path;
struct dtr_cm { struct kref kref; struct work_struct connect_work; struct dtr_path *path; int id; };
struct dtr_path { spinlock_t lock; struct dtr_cm *cm; };

int rdma_connect(int id);

static void dtr_destroy_cm(struct kref *kref)
{
	kfree(container_of(kref, struct dtr_cm, kref));
}

void __dtr_disconnect_path(struct dtr_path *path)
{
	struct dtr_cm *cm;

	spin_lock(&path->lock);
	cm = path->cm;
	path->cm = NULL;
	spin_unlock(&path->lock);
	if (cm)
		kref_put(&cm->kref, dtr_destroy_cm);
}

/* Queued with a reference taken for the work. */
void dtr_cma_connect_work_fn(struct work_struct *work)
{
	struct dtr_cm *cm = container_of(work, struct dtr_cm, connect_work);
	struct dtr_path *path = cm->path;

	kref_get(&cm->kref);	/* for the path->cm pointer */
	spin_lock(&path->lock);
	path->cm = cm;
	spin_unlock(&path->lock);

	if (rdma_connect(cm->id))
		__dtr_disconnect_path(path);
	kref_put(&cm->kref, dtr_destroy_cm);	/* for the work */
}
