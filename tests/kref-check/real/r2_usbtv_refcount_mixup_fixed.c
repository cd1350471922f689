/* SPDX-License-Identifier: MIT */
/*
 * Fixed twin of r2_usbtv_refcount_mixup.c (own code): torvalds/linux commit
 * bf65f8aabdb37bc1a785884374e919477fe13e10,
 * drivers/media/usb/usbtv/usbtv-core.c.  The reference taken to survive
 * usbtv_video_free() is a v4l2_device one, which that put undoes.
 */
#include <linux/kref.h>
#include <linux/slab.h>
#include "kernel_shim.h"

struct usb_device { struct kref kref; int devnum; };
struct usbtv { struct kref v4l2_ref; struct usb_device *udev; int streaming; };

int usbtv_video_init(struct usbtv *usbtv);
int usbtv_audio_init(struct usbtv *usbtv);

static void usb_release_dev(struct kref *kref)
{
	kfree(container_of(kref, struct usb_device, kref));
}

static void usbtv_release(struct kref *kref)
{
	kfree(container_of(kref, struct usbtv, v4l2_ref));
}

static void usbtv_video_free(struct usbtv *usbtv)
{
	kref_put(&usbtv->v4l2_ref, usbtv_release);
}

int usbtv_probe(struct usb_device *udev)
{
	struct usbtv *usbtv = kzalloc(sizeof(*usbtv), GFP_KERNEL);
	int ret;

	if (!usbtv)
		return -ENOMEM;
	kref_get(&udev->kref);
	usbtv->udev = udev;
	ret = usbtv_video_init(usbtv);	/* kref_init(&usbtv->v4l2_ref) */
	if (ret < 0)
		goto usbtv_video_fail;
	ret = usbtv_audio_init(usbtv);
	if (ret < 0)
		goto usbtv_audio_fail;
	return 0;

usbtv_audio_fail:
	/* we must not free at this point */
	kref_get(&usbtv->v4l2_ref);
	/* this will undo the kref_get() */
	usbtv_video_free(usbtv);
usbtv_video_fail:
	kref_put(&usbtv->udev->kref, usb_release_dev);
	kfree(usbtv);
	return ret;
}
