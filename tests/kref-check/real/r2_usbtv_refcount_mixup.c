/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: torvalds/linux commit
 * bf65f8aabdb37bc1a785884374e919477fe13e10 "media: usbtv: Fix refcounting
 * mixup", drivers/media/usb/usbtv/usbtv-core.c, usbtv_probe().  To keep
 * usbtv_video_free() - which drops a v4l2_device reference - from freeing
 * the device on the audio-failure path, the probe took a reference on the
 * wrong object, the USB device: the v4l2 put then drops a reference nobody
 * took, and the USB device's reference leaks.
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
	kref_get(&usbtv->udev->kref);
	usbtv_video_free(usbtv);	/* expect: rule 2 */
usbtv_video_fail:
	kref_put(&usbtv->udev->kref, usb_release_dev);
	kfree(usbtv);
	return ret;
}
