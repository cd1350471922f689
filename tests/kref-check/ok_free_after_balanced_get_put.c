/* SPDX-License-Identifier: MIT */
/* Rule 2, kernel style: the probe allocates the camera, and the media
 * setup initialises its count.  When the second stage fails, the probe
 * takes a reference so that the teardown helper's put is not the final
 * one, then frees the camera itself: its gets and puts cancel out, and
 * the camera was never given to anyone. */
#include <linux/kref.h>
#include <linux/slab.h>
#include "kernel_shim.h"

struct camera { struct kref media_ref; int streaming; };

int camera_media_init(struct camera *cam);	/* kref_init(&cam->media_ref) */
int camera_ctrl_init(struct camera *cam);

static void camera_release(struct kref *kref)
{
	kfree(container_of(kref, struct camera, media_ref));
}

static void camera_media_free(struct camera *cam)
{
	kref_put(&cam->media_ref, camera_release);
}

int camera_probe(void)
{
	struct camera *cam = kzalloc(sizeof(*cam), GFP_KERNEL);
	int ret;

	if (!cam)
		return -ENOMEM;
	ret = camera_media_init(cam);
	if (ret < 0)
		goto media_fail;
	ret = camera_ctrl_init(cam);
	if (ret < 0)
		goto ctrl_fail;
	return 0;

ctrl_fail:
	kref_get(&cam->media_ref);	/* keep the helper's put from freeing it */
	camera_media_free(cam);
media_fail:
	kfree(cam);
	return ret;
}
