/* SPDX-License-Identifier: MIT */
/*
 * Fixed twin of r2_dm_mpath_parse_path.c (own code): torvalds/linux commit
 * 787bd63ee661b0148ce8e1fde92b7afddd85c446, drivers/md/dm-mpath.c.  Every
 * failure after dm_get_device() goes through a new "bad_put_device" label
 * that puts the device before freeing the pgpath.
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
			ti->error = "error allocating handler name";
			goto bad_put_device;
		}
	}

	r = setup_scsi_dh(p->path.dev->bdev, &attached_handler_name, &ti->error);
	kfree((void *)attached_handler_name);
	if (r)
		goto bad_put_device;

	r = ps->add_path(ps, &p->path, argc, argv, &ti->error);
	if (r)
		goto bad_put_device;

	return p;
 bad_put_device:
	dm_put_device(ti, p->path.dev);
 bad:
	free_pgpath(p);
	return ERR_PTR(r);
}
