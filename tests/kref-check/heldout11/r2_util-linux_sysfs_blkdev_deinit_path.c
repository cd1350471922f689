/* SPDX-License-Identifier: MIT */
/*
 * Project: util-linux/util-linux
 * Path: lib/sysfs.c
 * Fix commit: 4a0e70663ca80de725a924b0fa2f74c9d624c3df
 * Bug: when a block device's path context is torn down,
 * sysfs_blkdev_deinit_path() takes another reference on the parent context
 * instead of dropping the one sysfs_blkdev_set_parent() took, so the parent
 * is never freed.
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/types.h>
#include <kref.h>

struct path_cxt {
	struct kref ref;
	int dir_fd;
	char *dir_path;
	void *dialect;
	void (*free_dialect)(struct path_cxt *);
};

struct sysfs_blkdev {
	dev_t devno;
	struct path_cxt *parent;
};

/* closes the context's directory descriptor, if open */
extern void ul_path_close_dirfd(struct path_cxt *pc);
/* points the context at a directory; the string is copied */
extern int ul_path_set_dir(struct path_cxt *pc, const char *dir);

static void ul_path_release(struct kref *ref)
{
	struct path_cxt *pc = container_of(ref, struct path_cxt, ref);

	if (pc->dialect)
		pc->free_dialect(pc);
	ul_path_close_dirfd(pc);
	free(pc->dir_path);
	free(pc);
}

void ul_ref_path(struct path_cxt *pc)
{
	if (pc)
		kref_get(&pc->ref);
}

void ul_unref_path(struct path_cxt *pc)
{
	if (pc)
		kref_put(&pc->ref, ul_path_release);
}

static void *ul_path_get_dialect(struct path_cxt *pc)
{
	return pc ? pc->dialect : NULL;
}

static void ul_path_set_dialect(struct path_cxt *pc, void *data,
				void (*free_data)(struct path_cxt *))
{
	pc->dialect = data;
	pc->free_dialect = free_data;
}

int sysfs_blkdev_set_parent(struct path_cxt *pc, struct path_cxt *parent)
{
	struct sysfs_blkdev *blk = ul_path_get_dialect(pc);

	if (!pc || !blk)
		return -EINVAL;

	if (blk->parent) {
		ul_unref_path(blk->parent);
		blk->parent = NULL;
	}

	if (parent) {
		ul_ref_path(parent);
		blk->parent = parent;
	} else
		blk->parent = NULL;

	return 0;
}

static void sysfs_blkdev_deinit_path(struct path_cxt *pc)
{
	struct sysfs_blkdev *blk;

	if (!pc)
		return;

	blk = ul_path_get_dialect(pc);
	if (!blk)
		return;

	ul_ref_path(blk->parent); /* expect: rule 2 */
	free(blk);

	ul_path_set_dialect(pc, NULL, NULL);
}

int sysfs_blkdev_init_path(struct path_cxt *pc, dev_t devno, struct path_cxt *parent)
{
	struct sysfs_blkdev *blk;
	int rc;

	rc = ul_path_set_dir(pc, "/sys/dev/block");
	if (rc)
		return rc;

	blk = ul_path_get_dialect(pc);
	if (!blk) {
		blk = calloc(1, sizeof(struct sysfs_blkdev));
		if (!blk)
			return -ENOMEM;

		ul_path_set_dialect(pc, blk, sysfs_blkdev_deinit_path);
	}

	blk->devno = devno;
	sysfs_blkdev_set_parent(pc, parent);

	return 0;
}
