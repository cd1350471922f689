/* SPDX-License-Identifier: MIT */
/*
 * Project: torvalds/linux
 * Path: drivers/char/xillybus/xillyusb.c
 * Fix: 282a4b71816b6076029017a7bab3a9dcee12a920
 * Bug: xillyusb_open() found its xillyusb_dev with xillybus_find_inode(),
 * which drops xillybus_class's unit_mutex before returning, and took its
 * kref only later, so xillyusb_disconnect() could drop the last reference
 * and free the device in between.
 */
#include <linux/kref.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include "kernel_shim.h"

#define FMODE_READ	0x1
#define FMODE_WRITE	0x2

struct inode;

struct file {
	unsigned int	f_mode;
	void		*private_data;
};

struct xillyusb_dev;

struct xillyusb_channel {
	struct xillyusb_dev	*xdev;
	struct mutex		lock;	/* protects the open flags */
	int			open_for_read;
	int			open_for_write;
};

struct xillyusb_dev {
	struct kref		kref;
	struct xillyusb_channel	*channels;
	int			error;
	void			*dev;
};

/* finds the device of the inode's minor under unit_mutex, drops it, returns a borrowed pointer */
extern int xillybus_find_inode(struct inode *inode, void **private_data, int *index);
/* removes the device from xillybus_class's list, so lookups no longer find it */
extern void xillybus_cleanup_chrdev(void *private_data, void *dev);
/* stops the endpoints and wakes up all waiters */
extern void report_io_error(struct xillyusb_dev *xdev, int errcode);

static void cleanup_dev(struct kref *kref)
{
	struct xillyusb_dev *xdev = container_of(kref, struct xillyusb_dev, kref);

	kfree(xdev->channels);
	kfree(xdev);
}

int xillyusb_open(struct inode *inode, struct file *filp)
{
	struct xillyusb_dev *xdev;
	struct xillyusb_channel *chan;
	int rc;
	int index;

	rc = xillybus_find_inode(inode, (void **)&xdev, &index);
	if (rc)
		return rc;

	chan = &xdev->channels[index];
	filp->private_data = chan;

	mutex_lock(&chan->lock);

	rc = -ENODEV;

	if (xdev->error)
		goto unmutex_fail;

	rc = -EBUSY;

	if (((filp->f_mode & FMODE_READ) && chan->open_for_read) ||
	    ((filp->f_mode & FMODE_WRITE) && chan->open_for_write))
		goto unmutex_fail;

	kref_get(&xdev->kref); /* expect: rule 3 */

	if (filp->f_mode & FMODE_READ)
		chan->open_for_read = 1;
	if (filp->f_mode & FMODE_WRITE)
		chan->open_for_write = 1;

	mutex_unlock(&chan->lock);
	return 0;

unmutex_fail:
	mutex_unlock(&chan->lock);
	return rc;
}

int xillyusb_release(struct inode *inode, struct file *filp)
{
	struct xillyusb_channel *chan = filp->private_data;
	struct xillyusb_dev *xdev = chan->xdev;

	(void)inode;
	mutex_lock(&chan->lock);
	if (filp->f_mode & FMODE_READ)
		chan->open_for_read = 0;
	if (filp->f_mode & FMODE_WRITE)
		chan->open_for_write = 0;
	mutex_unlock(&chan->lock);

	kref_put(&xdev->kref, cleanup_dev);
	return 0;
}

void xillyusb_disconnect(struct xillyusb_dev *xdev)
{
	xillybus_cleanup_chrdev(xdev, xdev->dev);

	report_io_error(xdev, -ENODEV);

	xdev->dev = NULL;

	kref_put(&xdev->kref, cleanup_dev);
}
