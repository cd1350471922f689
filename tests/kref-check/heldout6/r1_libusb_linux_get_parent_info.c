/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: libusb/libusb commit
 * 6391d86e818bf4ed63842cad278c2fb2572dc5d8 "All: ref dev->parent_dev",
 * libusb/os/linux_usbfs.c linux_get_parent_info() and libusb/core.c
 * libusb_unref_device() (the same store was fixed in the darwin and
 * windows backends).  The parent hub found on ctx->usb_devs is kept in the
 * device's long-lived field dev->parent_dev with no reference.  When a
 * whole hub goes away every removed device gets its final unref except one
 * an application still holds; that device's parent_dev then points at a
 * freed hub (libusb_get_parent(), libusb_get_port_path()).  The fix stores
 * libusb_ref_device(it) and drops it when the device is destroyed.
 * libusb_device's refcnt is written with a kref.
 */
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <kref.h>

struct list_head { struct list_head *next, *prev; };

struct libusb_context {
	struct list_head usb_devs;
	pthread_mutex_t usb_devs_lock;
};

struct libusb_device {
	struct kref refcnt;
	struct libusb_context *ctx;
	struct libusb_device *parent_dev;
	unsigned char port_number;
	struct list_head list;
	char *sysfs_dir;	/* struct linux_device_priv */
};

/* Enumerates the device at sysfs_dir into ctx (used when the parent is not known yet). */
extern int sysfs_scan_device(struct libusb_context *ctx, const char *devname);
/* usbi_backend->destroy_device() and usbi_disconnect_device(). */
extern void op_destroy_device(struct libusb_device *dev);

static void libusb_device_release(struct kref *ref)
{
	struct libusb_device *dev = container_of(ref, struct libusb_device, refcnt);

	op_destroy_device(dev);
	free(dev);
}

void libusb_unref_device(struct libusb_device *dev)
{
	if (!dev)
		return;
	kref_put(&dev->refcnt, libusb_device_release);
}

struct libusb_device *libusb_get_parent(struct libusb_device *dev)
{
	return dev->parent_dev;
}

void linux_get_parent_info(struct libusb_device *dev, const char *parent_sysfs_dir)
{
	struct libusb_context *ctx = dev->ctx;
	struct list_head *pos;
	int add_parent = 1;

retry:
	/* find the parent in the context */
	pthread_mutex_lock(&ctx->usb_devs_lock);
	for (pos = ctx->usb_devs.next; pos != &ctx->usb_devs; pos = pos->next) {
		struct libusb_device *it = container_of(pos, struct libusb_device, list);

		if (0 == strcmp(it->sysfs_dir, parent_sysfs_dir)) {
			dev->parent_dev = it; /* expect: rule 1 */
			break;
		}
	}
	pthread_mutex_unlock(&ctx->usb_devs_lock);

	if (!dev->parent_dev && add_parent) {
		/* parent_dev not enumerated yet, enumerating now */
		sysfs_scan_device(ctx, parent_sysfs_dir);
		add_parent = 0;
		goto retry;
	}
}
