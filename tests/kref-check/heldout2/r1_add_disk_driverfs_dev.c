/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: torvalds/linux commit
 * 56cf6504fc1c0c221b82cebc16a444b684140fb7 (message read on a gitweb
 * mirror: "Guard against this by holding a reference to the struct device
 * in add_disk()"), block/genhd.c,
 * add_disk() and disk_release(), with a driver's probe (sd) filling in
 * the field.  The gendisk keeps the parent device in its long-lived field
 * driverfs_dev and uses it for uevents until the gendisk is released, but
 * holds no reference on it: the device can go away first.  The device's
 * count (get_device/put_device) written here with struct kref.
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

void register_disk(struct gendisk *disk);	/* sends the "add" uevent */
void blk_register_queue(struct gendisk *disk);
struct gendisk *alloc_disk(int minors);

static void disk_release(struct kobject *kobj)
{
	struct gendisk *disk = container_of(kobj, struct gendisk, kobj);

	kfree(disk);
}

void add_disk(struct gendisk *disk)
{
	disk->flags |= GENHD_FL_UP;
	register_disk(disk);
	blk_register_queue(disk);
}

int sd_probe(struct scsi_disk *sdkp, struct scsi_device *sdp)
{
	struct gendisk *gd = alloc_disk(16);

	if (!gd)
		return -ENOMEM;
	gd->private_data = sdkp;
	gd->driverfs_dev = &sdp->sdev_gendev;	/* expect: rule 1 */
	sdkp->disk = gd;
	add_disk(gd);
	return 0;
}

void sd_disk_release(struct gendisk *disk)
{
	disk_release(&disk->kobj);
}
