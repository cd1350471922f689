/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: torvalds/linux commit
 * 36e3e9387b367bd0cef3437d8181a6d6cb3c3b3f "NFS: use refcount_inc_not_zero
 * nfs_start_delegation_return", fs/nfs/delegation.c,
 * nfs_start_delegation_return().  Under rcu_read_lock() the delegation is
 * read with rcu_dereference() and referenced with the unconditional
 * nfs_get_delegation() (refcount_inc): RCU keeps only the memory, so this
 * can take a reference on a delegation whose last reference is gone and
 * whose kfree_rcu() is pending.
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

static struct nfs_delegation *nfs_get_delegation(struct nfs_delegation *delegation)
{
	kref_get(&delegation->refcount);
	return delegation;
}

void nfs_put_delegation(struct nfs_delegation *delegation)
{
	kref_put(&delegation->refcount, __nfs_free_delegation);
}

/* Called under rcu_read_lock(). */
struct nfs_delegation *nfs_start_delegation_return(struct nfs_inode *nfsi)
{
	struct nfs_delegation *ret = NULL;
	struct nfs_delegation *delegation;

	delegation = rcu_dereference(nfsi->delegation);
	if (!delegation)
		return NULL;

	spin_lock(&delegation->lock);
	if (delegation->inode && !(delegation->flags & NFS_DELEGATION_RETURNING)) {
		delegation->flags |= NFS_DELEGATION_RETURNING;
		delegation->flags &= ~NFS_DELEGATION_RETURN_DELAYED;
		ret = nfs_get_delegation(delegation);	/* expect: rule 3 */
	}
	spin_unlock(&delegation->lock);
	if (ret)
		nfs_clear_verifier_delegated(nfsi->vfs_inode);
	return ret;
}
