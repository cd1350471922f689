/* SPDX-License-Identifier: MIT */
/*
 * Project: torvalds/linux
 * Path: drivers/md/dm.c
 * Fix: b9a41d21dceadf8104812626ef85dc56ee8a60ed
 * Bug: dm_get_from_kobject() tested DMF_FREEING and DMF_DELETING without
 * _minor_lock, under which __dm_destroy() marks the device as freeing, and
 * then took its reference, so it could get a device that __dm_destroy()
 * had already started to tear down and free (CVE-2017-18203).
 */
#include <stdbool.h>
#include <linux/kref.h>
#include <linux/spinlock.h>
#include <linux/slab.h>
#include "kernel_shim.h"

#define DMF_FREEING	3
#define DMF_DELETING	4

struct kobject {
	const char	*name;
};

struct dm_kobject_holder {
	struct kobject	kobj;
};

struct mapped_device {
	struct kref			holders;
	unsigned long			flags;
	int				minor;
	struct dm_kobject_holder	kobj_holder;
};

static DEFINE_SPINLOCK(_minor_lock);

/* reads one bit of a flags word */
extern bool test_bit(int nr, const unsigned long *addr);
/* sets one bit of a flags word */
extern void set_bit(int nr, unsigned long *addr);
/* maps the minor to MINOR_ALLOCED, so lookups by minor no longer find md; _minor_lock held */
extern void dm_minor_unpublish(int minor);
/* removes md's sysfs entries */
extern void dm_sysfs_exit(struct mapped_device *md);

static bool dm_deleting_md(struct mapped_device *md)
{
	return test_bit(DMF_DELETING, &md->flags);
}

static void free_dev(struct kref *kref)
{
	kfree(container_of(kref, struct mapped_device, holders));
}

void dm_get(struct mapped_device *md)
{
	kref_get(&md->holders);
}

void dm_put(struct mapped_device *md)
{
	kref_put(&md->holders, free_dev);
}

struct mapped_device *dm_get_from_kobject(struct kobject *kobj)
{
	struct mapped_device *md;

	md = container_of(kobj, struct mapped_device, kobj_holder.kobj);

	spin_lock(&_minor_lock);
	if (test_bit(DMF_FREEING, &md->flags) || dm_deleting_md(md)) {
		md = NULL;
		goto out;
	}
	dm_get(md);
out:
	spin_unlock(&_minor_lock);

	return md;
}

void __dm_destroy(struct mapped_device *md)
{
	spin_lock(&_minor_lock);
	dm_minor_unpublish(md->minor);
	set_bit(DMF_FREEING, &md->flags);
	spin_unlock(&_minor_lock);

	dm_sysfs_exit(md);

	dm_put(md);		/* the device's own reference */
}
