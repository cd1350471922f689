/* SPDX-License-Identifier: MIT */
/*
 * Fixed twin of r3_drbd_rcu_path_cm.c (own code): LINBIT/drbd commit
 * 671f6bbcfa11bea0ec545835d476008e9d251313, drbd/drbd_transport_rdma.c.
 * dtr_path_get_cm() takes its reference with kref_get_unless_zero() under
 * RCU, and dtr_send() uses the cm only through that reference.
 */
#include <linux/kref.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include "kernel_shim.h"

struct dtr_cm { struct kref kref; struct rcu_head rcu; int id; };
struct dtr_path { struct dtr_cm *cm; };

int __dtr_post_tx_desc(struct dtr_cm *cm, void *buf, unsigned long size);

static void dtr_destroy_cm(struct kref *kref)
{
	struct dtr_cm *cm = container_of(kref, struct dtr_cm, kref);

	kfree_rcu(cm, rcu);
}

struct dtr_cm *dtr_path_get_cm(struct dtr_path *path)
{
	struct dtr_cm *cm;

	rcu_read_lock();
	cm = rcu_dereference(path->cm);
	if (cm && !kref_get_unless_zero(&cm->kref))
		cm = NULL;
	rcu_read_unlock();
	return cm;
}

int dtr_send(struct dtr_path *path, void *buf, unsigned long size)
{
	struct dtr_cm *cm = dtr_path_get_cm(path);
	int err;

	if (!cm)
		return -ECONNRESET;
	err = __dtr_post_tx_desc(cm, buf, size);
	kref_put(&cm->kref, dtr_destroy_cm);
	return err;
}

void dtr_put_cm(struct dtr_cm *cm)
{
	kref_put(&cm->kref, dtr_destroy_cm);
}
