/* SPDX-License-Identifier: MIT */
/*
 * Fixed twin of r1_add_disk_driverfs_dev.c (own code): torvalds/linux
 * commit 56cf6504fc1c0c221b82cebc16a444b684140fb7, block/genhd.c.
 * add_disk() takes a reference on disk->driverfs_dev for the gendisk, and
 * disk_release() drops it when the gendisk kobject is released.
 */
#include <linux/kref.h>
#include <linux/slab.h>
#include "kernel_shim.h"

struct device { struct kref kref; const char *bus_id; };
struct kobject { const char *name; };
struct gendisk {
	struct kobject kobj;
	int major, first_minor, minors, flags;
	struct device *driverfs_dev;
	void *private_data;
};
struct scsi_device { struct device sdev_gendev; };
struct scsi_disk { struct gendisk *disk; struct scsi_device *device; };
#define GENHD_FL_UP 16

struct device *get_device(struct device *dev);	/* returns dev, referenced */
void put_device(struct device *dev);
void register_disk(struct gendisk *disk);	/* sends the "add" uevent */
void blk_register_queue(struct gendisk *disk);
struct gendisk *alloc_disk(int minors);

static void disk_release(struct kobject *kobj)
{
	struct gendisk *disk = container_of(kobj, struct gendisk, kobj);

	put_device(disk->driverfs_dev);
	kfree(disk);
}

void add_disk(struct gendisk *disk)
{
	disk->flags |= GENHD_FL_UP;
	get_device(disk->driverfs_dev);
	register_disk(disk);
	blk_register_queue(disk);
}

int sd_probe(struct scsi_disk *sdkp, struct scsi_device *sdp)
{
	struct gendisk *gd = alloc_disk(16);

	if (!gd)
		return -ENOMEM;
	gd->private_data = sdkp;
	gd->driverfs_dev = &sdp->sdev_gendev;
	sdkp->disk = gd;
	add_disk(gd);
	return 0;
}

void sd_disk_release(struct gendisk *disk)
{
	disk_release(&disk->kobj);
}
