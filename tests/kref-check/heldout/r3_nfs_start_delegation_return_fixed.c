/* SPDX-License-Identifier: MIT */
/*
 * Fixed twin of r3_nfs_start_delegation_return.c (own code): torvalds/linux
 * commit 36e3e9387b367bd0cef3437d8181a6d6cb3c3b3f, fs/nfs/delegation.c.
 * The reference is taken first, with refcount_inc_not_zero(), and put
 * again when the delegation is not to be returned now; nfs_get_delegation()
 * is removed.
 */
#include <linux/kref.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include "kernel_shim.h"

struct inode;
struct nfs_delegation { struct kref refcount; spinlock_t lock; struct inode *inode; unsigned long flags; struct rcu_head rcu; };
struct nfs_inode { struct nfs_delegation *delegation; struct inode *vfs_inode; };

#define NFS_DELEGATION_RETURNING	1UL
#define NFS_DELEGATION_RETURN_DELAYED	2UL

void nfs_clear_verifier_delegated(struct inode *inode);

static void __nfs_free_delegation(struct kref *kref)
{
	struct nfs_delegation *delegation = container_of(kref, struct nfs_delegation, refcount);

	kfree_rcu(delegation, rcu);
}

void nfs_put_delegation(struct nfs_delegation *delegation)
{
	kref_put(&delegation->refcount, __nfs_free_delegation);
}

/* Called under rcu_read_lock(). */
struct nfs_delegation *nfs_start_delegation_return(struct nfs_inode *nfsi)
{
	struct nfs_delegation *delegation;
	bool return_now = false;

	delegation = rcu_dereference(nfsi->delegation);
	if (!delegation || !kref_get_unless_zero(&delegation->refcount))
		return NULL;

	spin_lock(&delegation->lock);
	if (delegation->inode && !(delegation->flags & NFS_DELEGATION_RETURNING)) {
		delegation->flags |= NFS_DELEGATION_RETURNING;
		delegation->flags &= ~NFS_DELEGATION_RETURN_DELAYED;
		return_now = true;
	}
	spin_unlock(&delegation->lock);

	if (!return_now) {
		nfs_put_delegation(delegation);
		return NULL;
	}
	nfs_clear_verifier_delegated(nfsi->vfs_inode);
	return delegation;
}
