/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: LINBIT/drbd commit
 * 671f6bbcfa11bea0ec545835d476008e9d251313 "fix rcu use of path->cm",
 * drbd/drbd_transport_rdma.c.  dtr_send() used the cm it read with
 * rcu_dereference(path->cm) with no reference ("rcu only guarantees that
 * the cm does not go away before rcu_read_unlock(), not that its members
 * are not destroyed"), and dtr_path_get_cm() took its reference under RCU
 * with kref_get instead of kref_get_unless_zero.
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
	if (cm)
		kref_get(&cm->kref);	/* expect: rule 3 */
	rcu_read_unlock();
	return cm;
}

int dtr_send(struct dtr_path *path, void *buf, unsigned long size)
{
	struct dtr_cm *cm;
	int err;

	rcu_read_lock();
	cm = rcu_dereference(path->cm);
	if (!cm) {
		err = -ECONNRESET;
		goto out_unlock;
	}
	err = __dtr_post_tx_desc(cm, buf, size);	/* expect: rule 3 */
out_unlock:
	rcu_read_unlock();
	return err;
}

void dtr_put_cm(struct dtr_cm *cm)
{
	kref_put(&cm->kref, dtr_destroy_cm);
}
