/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: torvalds/linux commit
 * 51486b900ee92856b977eacfc5bfbe6565028070 "fix inode leaks on
 * d_splice_alias() failure exits", fs/dcache.c, d_splice_alias().
 * Callers (a filesystem's ->lookup) hand d_splice_alias() their inode
 * reference: it must either stash it in an alias or drop it, so that
 * ->lookup can simply return its result.  The two -EIO exits for a
 * directory that already has a non-root alias, or whose alias is an
 * ancestor of the dentry, dropped the alias but not the inode reference:
 * one inode leaked per failure.  The fix adds iput(inode) on both exits.
 * The inode's i_count and the dentry's count written here with struct
 * kref.
 */
#include <linux/err.h>
#include <linux/kref.h>
#include <linux/spinlock.h>
#include "kernel_shim.h"

struct inode { struct kref i_count; spinlock_t i_lock; unsigned int i_mode; };
struct dentry { struct kref d_count; spinlock_t d_lock; struct dentry *d_parent; struct inode *d_inode; };
extern spinlock_t rename_lock;

#define S_IFDIR		0040000
#define S_ISDIR(m)	(((m) & 0170000) == S_IFDIR)
#define IS_ROOT(d)	((d) == (d)->d_parent)

/* Writes back and frees the inode (the final iput()). */
void evict(struct kref *kref);
void dentry_free(struct kref *kref);
/* Returns an alias of the inode with a reference (dget), or NULL; i_lock held. */
struct dentry *__d_find_any_alias(struct inode *inode);
bool d_ancestor(struct dentry *p1, struct dentry *p2);
/* Gives the inode reference to the dentry (dentry->d_inode = inode). */
void __d_instantiate(struct dentry *dentry, struct inode *inode);
void d_instantiate(struct dentry *dentry, struct inode *inode);
void __d_materialise_dentry(struct dentry *dentry, struct dentry *anon);
void d_rehash(struct dentry *dentry);

void iput(struct inode *inode)
{
	if (inode)
		kref_put(&inode->i_count, evict);
}

void dput(struct dentry *dentry)
{
	if (dentry)
		kref_put(&dentry->d_count, dentry_free);
}

/* Consumes the caller's reference on @inode. */
struct dentry *d_splice_alias(struct inode *inode, struct dentry *dentry)
{
	struct dentry *new = NULL;

	if (IS_ERR(inode))
		return ERR_CAST(inode);

	if (inode && S_ISDIR(inode->i_mode)) {
		spin_lock(&inode->i_lock);
		new = __d_find_any_alias(inode);
		if (new) {
			if (!IS_ROOT(new)) {
				spin_unlock(&inode->i_lock);
				dput(new);
				return ERR_PTR(-EIO);	/* expect: rule 2 */
			}
			if (d_ancestor(new, dentry)) {
				spin_unlock(&inode->i_lock);
				dput(new);
				return ERR_PTR(-EIO);	/* expect: rule 2 */
			}
			spin_lock(&rename_lock);
			__d_materialise_dentry(dentry, new);
			spin_unlock(&rename_lock);
			spin_unlock(&inode->i_lock);
			iput(inode);
		} else {
			__d_instantiate(dentry, inode);
			spin_unlock(&inode->i_lock);
			d_rehash(dentry);
		}
	} else {
		d_instantiate(dentry, inode);
		d_rehash(dentry);
	}
	return new;
}

/* A filesystem's ->lookup: the inode reference from iget goes to d_splice_alias(). */
struct inode *myfs_iget(struct inode *dir, struct dentry *dentry);

struct dentry *myfs_lookup(struct inode *dir, struct dentry *dentry, unsigned int flags)
{
	struct inode *inode = myfs_iget(dir, dentry);

	(void)flags;
	return d_splice_alias(inode, dentry);
}
