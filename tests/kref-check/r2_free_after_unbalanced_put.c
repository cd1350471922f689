/* SPDX-License-Identifier: MIT */
/* Rule 2, kernel style: the probe means to keep the teardown helper's put
 * from being the final one, but takes its reference on the camera's
 * sensor instead: the helper's put can free the camera, which the probe
 * then frees again. */
#include <linux/kref.h>
#include <linux/slab.h>
#include "kernel_shim.h"

struct sensor { struct kref ref; int addr; };
struct camera { struct kref media_ref; struct sensor *sensor; int streaming; };

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

int camera_probe(struct sensor *sensor)
{
	struct camera *cam = kzalloc(sizeof(*cam), GFP_KERNEL);
	int ret;

	if (!cam)
		return -ENOMEM;
	cam->sensor = sensor;
	ret = camera_media_init(cam);
	if (ret < 0)
		goto media_fail;
	ret = camera_ctrl_init(cam);
	if (ret < 0)
		goto ctrl_fail;
	return 0;

ctrl_fail:
	kref_get(&cam->sensor->ref);
	camera_media_free(cam);
media_fail:
	kfree(cam);	/* expect: rule 2 */
	return ret;
}
