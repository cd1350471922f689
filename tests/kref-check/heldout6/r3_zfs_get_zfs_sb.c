/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: openzfs/zfs commit
 * d5b0e7fcf175139e02a13f99c980b1d51aab6c45 "Fix get_zfs_sb race with
 * concurrent umount", module/zfs/zfs_ioctl.c, get_zfs_sb() (called by
 * zfs_sb_hold() for several ioctls, released by zfs_sb_rele()).  Under
 * os->os_user_ptr_lock, get_zfs_sb() finds the mounted file system through
 * the objset's user pointer and takes an active reference on its
 * super_block with a plain atomic_inc(&sb->s_active).  The final
 * deactivation of the super block does not take that lock:
 * deactivate_locked_super() has already dropped s_active to 0 and goes on
 * to zpl_kill_sb(), zfs_umount() and zfs_sb_free(), so the ioctl revives a
 * dying super block and later uses and releases a freed zfs_sb.  The fix
 * takes the reference with atomic_inc_not_zero() and fails with ESRCH
 * otherwise.  s_active is written with a kref.
 */
#include <linux/kref.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include "kernel_shim.h"

struct super_block { struct kref s_active; };

typedef struct zfs_sb {
	struct super_block *z_sb;
	int z_unmounted;
} zfs_sb_t;

typedef struct objset {
	struct mutex os_user_ptr_lock;
	void *os_user_ptr;	/* the mounted zfs_sb, set and cleared under the lock */
} objset_t;

/* Holds the named objset; 0 on success. */
int dmu_objset_hold(const char *name, void *tag, objset_t **osp);
void dmu_objset_rele(objset_t *os, void *tag);
/* Tears the file system down: zfs_umount(), dmu_objset_set_user(os, NULL) under the lock, zfs_sb_free(). */
void zpl_kill_sb(struct super_block *sb);

static void *dmu_objset_get_user(objset_t *os)
{
	return os->os_user_ptr;
}

static void super_release(struct kref *ref)
{
	zpl_kill_sb(container_of(ref, struct super_block, s_active));
}

/* deactivate_super(): drops an active reference; the last one kills the super block. */
void deactivate_super(struct super_block *sb)
{
	kref_put(&sb->s_active, super_release);
}

int get_zfs_sb(const char *dsname, zfs_sb_t **zsbp)
{
	objset_t *os;
	int error;

	error = dmu_objset_hold(dsname, NULL, &os);
	if (error != 0)
		return error;

	mutex_lock(&os->os_user_ptr_lock);
	*zsbp = dmu_objset_get_user(os);
	if (*zsbp && (*zsbp)->z_sb) {
		kref_get(&((*zsbp)->z_sb->s_active)); /* expect: rule 3 */
	} else {
		error = -ESRCH;
	}
	mutex_unlock(&os->os_user_ptr_lock);
	dmu_objset_rele(os, NULL);
	return error;
}

/* The ioctls pair get_zfs_sb() (through zfs_sb_hold()) with this. */
void zfs_sb_rele(zfs_sb_t *zsb)
{
	deactivate_super(zsb->z_sb);
}
