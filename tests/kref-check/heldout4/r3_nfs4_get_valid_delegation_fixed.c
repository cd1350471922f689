/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: torvalds/linux commit
 * 542b11c0728335a1e06f61dc71b48e9bbbe13169 "NFS: take a delegation
 * reference in nfs4_get_valid_delegation", fs/nfs/delegation.c.
 * nfs4_get_valid_delegation() returned the inode's delegation found under
 * RCU without a reference; callers that go on to blocking work took one
 * with refcount_inc() on that RCU pointer, which races with the last
 * nfs_put_delegation() ("use after frees in extremely rare cases").  The
 * fix takes the reference inside with refcount_inc_not_zero(), so callers
 * get a stable reference and leave the RCU section.  The caller below
 * stands for those callers.  refcount_t written with struct kref.
 */
#include <linux/kref.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include "kernel_shim.h"

struct nfs_delegation {
	struct kref refcount;
	unsigned long flags;
	struct rcu_head rcu;
};

struct nfs_inode { struct nfs_delegation *delegation; };
struct inode { struct nfs_inode nfsi; };

#define NFS_I(inode) (&(inode)->nfsi)

/* Returns true if the delegation is not revoked or being returned. */
extern bool nfs4_is_valid_delegation(const struct nfs_delegation *delegation, unsigned int flags);
/* Blocking: asks the server to recall and returns the delegation. */
extern int nfs_do_return_delegation(struct inode *inode, struct nfs_delegation *delegation);

static void nfs_free_delegation(struct kref *kref)
{
	struct nfs_delegation *delegation = container_of(kref, struct nfs_delegation, refcount);

	kfree_rcu(delegation, rcu);
}

static void nfs_put_delegation(struct nfs_delegation *delegation)
{
	kref_put(&delegation->refcount, nfs_free_delegation);
}

struct nfs_delegation *nfs4_get_valid_delegation(const struct inode *inode)
{
	struct nfs_delegation *delegation;

	rcu_read_lock();
	delegation = rcu_dereference(NFS_I((struct inode *) inode)->delegation);
	if (!nfs4_is_valid_delegation(delegation, 0) ||
	    !kref_get_unless_zero(&delegation->refcount))
		delegation = NULL;
	rcu_read_unlock();
	return delegation;
}

int nfs4_inode_return_delegation_example(struct inode *inode)
{
	struct nfs_delegation *delegation;
	int err;

	delegation = nfs4_get_valid_delegation(inode);
	if (!delegation) {
		return 0;
	}
	err = nfs_do_return_delegation(inode, delegation);
	nfs_put_delegation(delegation);
	return err;
}
