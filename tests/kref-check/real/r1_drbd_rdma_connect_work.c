/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: LINBIT/drbd commit
 * f1e572b1ecba7490da3e15c91901376508848e08 "rdma: fix a reference counting
 * bug in dtr_cma_connect_work_fn()", drbd/drbd_transport_rdma.c.  The work
 * function "recycled" the reference taken for the work item as the
 * reference of the long-lived path->cm pointer it stores; once stored,
 * __dtr_disconnect_path() on another CPU can take the pointer and drop
 * that reference, while the work goes on to use the cm.
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

	/* the work's reference becomes the path->cm pointer's */
	spin_lock(&path->lock);
	path->cm = cm;	/* expect: rule 1 */
	spin_unlock(&path->lock);

	if (rdma_connect(cm->id))
		__dtr_disconnect_path(path);
}
