/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: torvalds/linux commit
 * 787bd63ee661b0148ce8e1fde92b7afddd85c446 "dm mpath: Add missing
 * dm_put_device when failing to get scsi dh name", drivers/md/dm-mpath.c,
 * parse_path().  dm_get_device() returns the path's device with a
 * reference through an out-parameter; when scsi_dh_attached_handler_name()
 * fails with -ENOMEM the function jumps to "bad", which only frees the
 * pgpath, and the device reference leaks.
 */
#include <linux/kref.h>
#include <linux/slab.h>
#include "kernel_shim.h"

struct block_device;
struct dm_dev { struct kref count; struct block_device *bdev; };
struct dm_path { struct dm_dev *dev; };
struct pgpath { struct dm_path path; };
struct dm_target { const char *error; void *table; };
struct path_selector { int (*add_path)(struct path_selector *ps, struct dm_path *path, int argc, char **argv, const char **error); };

int dm_get_device(struct dm_target *ti, const char *path, int mode, struct dm_dev **result);	/* *result referenced */
const char *scsi_dh_attached_handler_name(struct block_device *bdev, int gfp);
int setup_scsi_dh(struct block_device *bdev, const char **attached_handler_name, const char **error);
struct pgpath *alloc_pgpath(void);
void free_pgpath(struct pgpath *pgpath);

static void dm_dev_release(struct kref *kref)
{
	kfree(container_of(kref, struct dm_dev, count));
}

void dm_put_device(struct dm_target *ti, struct dm_dev *d)
{
	kref_put(&d->count, dm_dev_release);
}

struct pgpath *parse_path(const char *arg, int argc, char **argv, struct path_selector *ps, struct dm_target *ti)
{
	int r;
	struct pgpath *p;
	const char *attached_handler_name = NULL;

	p = alloc_pgpath();
	if (!p)
		return ERR_PTR(-ENOMEM);

	r = dm_get_device(ti, arg, 0, &p->path.dev);
	if (r) {
		ti->error = "error getting device";
		goto bad;
	}

	attached_handler_name = scsi_dh_attached_handler_name(p->path.dev->bdev, GFP_KERNEL);
	if (IS_ERR(attached_handler_name)) {
		if (PTR_ERR(attached_handler_name) == -ENODEV) {
			attached_handler_name = NULL;
		} else {
			r = PTR_ERR(attached_handler_name);
			goto bad;	/* expect: rule 2 */
		}
	}

	r = setup_scsi_dh(p->path.dev->bdev, &attached_handler_name, &ti->error);
	kfree((void *)attached_handler_name);
	if (r) {
		dm_put_device(ti, p->path.dev);
		goto bad;
	}

	r = ps->add_path(ps, &p->path, argc, argv, &ti->error);
	if (r) {
		dm_put_device(ti, p->path.dev);
		goto bad;
	}

	return p;
 bad:
	free_pgpath(p);
	return ERR_PTR(r);
}
