/* SPDX-License-Identifier: MIT */
/*
 * Project: openzfs/zfs
 * Path:    module/os/linux/zfs/zfs_dir.c (zfs_rmnode), module/os/linux/zfs/zfs_znode.c (zfs_zget)
 * Fix:     c6dab6dd39214d587c7013e8c6dfeb085e3eb41c
 * Bug:     when the last reference to an unlinked file goes away, the error
 *          paths of zfs_rmnode() detach the znode from its object
 *          (zfs_znode_dmu_fini) without the per-object hold lock that
 *          zfs_zget() takes for its lookup, so an NFS file-handle lookup can
 *          find the znode and pin it while it is being torn down.
 *
 * The inode's i_count is the kref; igrab() is kref_get_unless_zero().
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <kref.h>

typedef struct zfsvfs zfsvfs_t;
typedef struct znode_hold znode_hold_t;
typedef struct sa_handle sa_handle_t;

typedef struct znode {
	struct kref	z_ref;		/* the inode's i_count */
	zfsvfs_t	*z_zfsvfs;
	uint64_t	z_id;
	int		z_unlinked;
	int		z_is_xattrdir;
	sa_handle_t	*z_sa_hdl;	/* links the object's dbuf back to this znode */
} znode_t;

/* takes the per-object hold lock that serializes zfs_zget() with teardown of that object */
extern znode_hold_t *zfs_znode_hold_enter(zfsvfs_t *zfsvfs, uint64_t obj);
/* drops the per-object hold lock */
extern void zfs_znode_hold_exit(zfsvfs_t *zfsvfs, znode_hold_t *zh);
/* returns the znode attached to the object's SA buffer (borrowed pointer), or NULL */
extern znode_t *zfs_obj_znode(zfsvfs_t *zfsvfs, uint64_t obj);
/* creates a new znode for the object with i_count 1, or NULL if it does not exist */
extern znode_t *zfs_znode_alloc(zfsvfs_t *zfsvfs, uint64_t obj);
/* destroys the SA handle: the object no longer points at its znode */
extern void sa_handle_destroy(sa_handle_t *hdl);
/* removes the xattrs of an xattr directory; nonzero when out of space */
extern int zfs_purgedir(znode_t *zp);
/* frees the file's data and object, detaching the znode under the hold lock */
extern void zfs_znode_delete(znode_t *zp);

void zfs_znode_dmu_fini(znode_t *zp)
{
	sa_handle_destroy(zp->z_sa_hdl);
	zp->z_sa_hdl = NULL;
}

int zfs_zget(zfsvfs_t *zfsvfs, uint64_t obj_num, znode_t **zpp)
{
	znode_hold_t *zh;
	znode_t *zp;
	int err;

	*zpp = NULL;
again:
	zh = zfs_znode_hold_enter(zfsvfs, obj_num);
	zp = zfs_obj_znode(zfsvfs, obj_num);
	if (zp != NULL) {
		if (!kref_get_unless_zero(&zp->z_ref)) {	/* igrab() */
			err = zp->z_unlinked ? ENOENT : EAGAIN;
		} else {
			*zpp = zp;
			err = 0;
		}
		zfs_znode_hold_exit(zfsvfs, zh);
		if (err == EAGAIN)
			goto again;
		return err;
	}

	zp = zfs_znode_alloc(zfsvfs, obj_num);
	if (zp == NULL)
		err = ENOENT;
	else {
		*zpp = zp;
		err = 0;
	}
	zfs_znode_hold_exit(zfsvfs, zh);
	return err;
}

/* Delete an unlinked file whose last reference is gone. */
static void zfs_rmnode(znode_t *zp)
{
	if (zp->z_is_xattrdir && zfs_purgedir(zp) != 0) {
		/* Not enough space to delete some xattrs: leave it in the unlinked set. */
		zfs_znode_dmu_fini(zp); /* expect: rule 3 */
		return;
	}

	zfs_znode_delete(zp);
}

/* Final iput(): evict the inode. */
static void zfs_inode_release(struct kref *ref)
{
	znode_t *zp = container_of(ref, znode_t, z_ref);
	znode_hold_t *zh;

	if (zp->z_unlinked) {
		zfs_rmnode(zp);
	} else {
		zh = zfs_znode_hold_enter(zp->z_zfsvfs, zp->z_id);
		zfs_znode_dmu_fini(zp);
		zfs_znode_hold_exit(zp->z_zfsvfs, zh);
	}
	free(zp);
}

void zfs_zrele(znode_t *zp)
{
	kref_put(&zp->z_ref, zfs_inode_release);
}
