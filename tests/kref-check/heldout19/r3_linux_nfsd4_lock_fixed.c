/* SPDX-License-Identifier: MIT */
/*
 * Project: torvalds/linux
 * Path: fs/nfsd/nfs4state.c
 * Fix: 7214e8600eee146b6ea79eb6b7b01b343856a7c6 ("nfsd: always hold the fi_lock when bumping fi_access refcounts")
 * Bug: nfsd4_lock() finds the nfs4_file's open struct file under fi_lock
 * (find_readable_file()) but bumps the file's fi_access count in
 * get_lock_access() after fi_lock is dropped, while the last
 * nfs4_file_put_access() drops that count to zero and closes the struct
 * file under fi_lock: the get can revive an access count that is being
 * torn down; the fix does the lookup and the get under one fi_lock section.
 */
#include <stdbool.h>
#include <linux/kref.h>
#include <linux/spinlock.h>
#include "kernel_shim.h"

#define O_RDONLY	0
#define O_WRONLY	1
#define O_RDWR		2

#define NFS4_SHARE_ACCESS_READ	1
#define NFS4_SHARE_ACCESS_WRITE	2

#define NFS4_READ_LT	1
#define NFS4_WRITE_LT	2

struct file;

struct nfs4_file {
	spinlock_t fi_lock;
	struct file *fi_fds[3];
	/* how many stateids use fi_fds[O_RDONLY] / fi_fds[O_WRONLY] */
	struct kref fi_access_read;	/* atomic_t fi_access[O_RDONLY] */
	struct kref fi_access_write;	/* atomic_t fi_access[O_WRONLY] */
};

struct nfs4_stid {
	struct nfs4_file *sc_file;
};

struct nfs4_ol_stateid {
	struct nfs4_stid st_stid;
	unsigned char st_access_bmap;
};

/* takes a reference on the struct file */
extern struct file *get_file(struct file *f);
/* drops a reference on the struct file */
extern void fput(struct file *f);
/* sets the lock's type and hands it to the VFS */
extern int nfsd_vfs_lock(struct file *filp, int type);

static inline bool test_access(unsigned int access, struct nfs4_ol_stateid *stp)
{
	return stp->st_access_bmap & (1 << access);
}

static inline void set_access(unsigned int access, struct nfs4_ol_stateid *stp)
{
	stp->st_access_bmap |= 1 << access;
}

/* called with fi_lock held; drops it */
static void nfs4_file_put_read_access(struct kref *kref)
{
	struct nfs4_file *fp = container_of(kref, struct nfs4_file, fi_access_read);
	struct file *f1 = fp->fi_fds[O_RDONLY];

	fp->fi_fds[O_RDONLY] = NULL;
	spin_unlock(&fp->fi_lock);
	if (f1)
		fput(f1);
}

/* called with fi_lock held; drops it */
static void nfs4_file_put_write_access(struct kref *kref)
{
	struct nfs4_file *fp = container_of(kref, struct nfs4_file, fi_access_write);
	struct file *f1 = fp->fi_fds[O_WRONLY];

	fp->fi_fds[O_WRONLY] = NULL;
	spin_unlock(&fp->fi_lock);
	if (f1)
		fput(f1);
}

void nfs4_file_put_access(struct nfs4_file *fp, unsigned int access)
{
	if (access & NFS4_SHARE_ACCESS_WRITE)
		kref_put_lock(&fp->fi_access_write, nfs4_file_put_write_access,
			      &fp->fi_lock);
	if (access & NFS4_SHARE_ACCESS_READ)
		kref_put_lock(&fp->fi_access_read, nfs4_file_put_read_access,
			      &fp->fi_lock);
}

static void __nfs4_file_get_access(struct nfs4_file *fp, unsigned int access)
{
	if (access & NFS4_SHARE_ACCESS_WRITE)
		kref_get(&fp->fi_access_write);
	if (access & NFS4_SHARE_ACCESS_READ)
		kref_get(&fp->fi_access_read);
}

/* the caller holds fi_lock */
struct file *find_readable_file_locked(struct nfs4_file *f)
{
	struct file *ret = NULL;

	if (f->fi_fds[O_RDONLY])
		ret = f->fi_fds[O_RDONLY];
	else if (f->fi_fds[O_RDWR])
		ret = f->fi_fds[O_RDWR];
	return ret ? get_file(ret) : NULL;
}

struct file *find_readable_file(struct nfs4_file *f)
{
	struct file *ret;

	spin_lock(&f->fi_lock);
	ret = find_readable_file_locked(f);
	spin_unlock(&f->fi_lock);

	return ret;
}

/* the caller holds fi_lock */
struct file *find_writeable_file_locked(struct nfs4_file *f)
{
	struct file *ret = NULL;

	if (f->fi_fds[O_WRONLY])
		ret = f->fi_fds[O_WRONLY];
	else if (f->fi_fds[O_RDWR])
		ret = f->fi_fds[O_RDWR];
	return ret ? get_file(ret) : NULL;
}

struct file *find_writeable_file(struct nfs4_file *f)
{
	struct file *ret;

	spin_lock(&f->fi_lock);
	ret = find_writeable_file_locked(f);
	spin_unlock(&f->fi_lock);

	return ret;
}

static void get_lock_access(struct nfs4_ol_stateid *lock_stp, unsigned int access)
{
	struct nfs4_file *fp = lock_stp->st_stid.sc_file;

	if (test_access(access, lock_stp))
		return;
	__nfs4_file_get_access(fp, access);
	set_access(access, lock_stp);
}

int nfsd4_lock(struct nfs4_ol_stateid *lock_stp, int lk_type)
{
	struct nfs4_file *fp = lock_stp->st_stid.sc_file;
	struct file *filp = NULL;
	int err;

	switch (lk_type) {
	case NFS4_READ_LT:
		spin_lock(&fp->fi_lock);
		filp = find_readable_file_locked(fp);
		if (filp)
			get_lock_access(lock_stp, NFS4_SHARE_ACCESS_READ);
		spin_unlock(&fp->fi_lock);
		break;
	case NFS4_WRITE_LT:
		spin_lock(&fp->fi_lock);
		filp = find_writeable_file_locked(fp);
		if (filp)
			get_lock_access(lock_stp, NFS4_SHARE_ACCESS_WRITE);
		spin_unlock(&fp->fi_lock);
		break;
	default:
		return -EINVAL;
	}

	if (!filp)
		return -EINVAL;

	err = nfsd_vfs_lock(filp, lk_type);
	fput(filp);
	return err;
}
