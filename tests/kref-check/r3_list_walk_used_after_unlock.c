/* SPDX-License-Identifier: MIT */
/* Rule 3: kernel style.  mdev_report_name() walks the global list of
 * media devices under media_lock, remembers the match and drops the lock,
 * then reads the device's name.  media_unregister() unlinks a device and
 * puts the list's reference under that same lock: once it is dropped,
 * nothing keeps the match alive.  Take a reference before the unlock and
 * put it when done. */
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include "kernel_shim.h"

struct media_dev {
	struct kref kref;
	struct list_head node;
	int minor;
	char name[32];
};

static LIST_HEAD(media_devs);
static DEFINE_MUTEX(media_lock);

extern void report_name(const char *name);

static void media_dev_free(struct kref *kref)
{
	struct media_dev *md = container_of(kref, struct media_dev, kref);

	kfree(md);
}

void media_unregister(struct media_dev *md)
{
	mutex_lock(&media_lock);
	list_del(&md->node);
	kref_put(&md->kref, media_dev_free);
	mutex_unlock(&media_lock);
}

int mdev_report_name(int minor)
{
	struct media_dev *md, *found = NULL;

	mutex_lock(&media_lock);
	list_for_each_entry(md, &media_devs, node) {
		if (md->minor == minor) {
			found = md;
			break;
		}
	}
	mutex_unlock(&media_lock);
	if (!found)
		return -ENODEV;
	report_name(found->name);	/* expect: rule 3 */
	return 0;
}
