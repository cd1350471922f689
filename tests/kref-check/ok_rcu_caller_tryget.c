/* SPDX-License-Identifier: MIT */
/* Correct: a helper documented as called under rcu_read_lock() reads a
 * device's firmware image with rcu_dereference() and takes its reference
 * with kref_get_unless_zero(), giving up on an image that is going away;
 * the image is freed after a grace period. */
#include <linux/kref.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>

struct fw_image {
	struct kref kref;
	struct rcu_head rcu;
	size_t size;
	unsigned char *blob;
};

struct radio {
	struct fw_image __rcu *fw;
	int channel;
};

static void fw_image_release(struct kref *kref)
{
	struct fw_image *img = container_of(kref, struct fw_image, kref);

	kfree_rcu(img, rcu);
}

void fw_image_put(struct fw_image *img)
{
	kref_put(&img->kref, fw_image_release);
}

/* The caller holds rcu_read_lock(). */
struct fw_image *radio_fw_grab(struct radio *r)
{
	struct fw_image *img = rcu_dereference(r->fw);

	if (!img || !kref_get_unless_zero(&img->kref))
		return NULL;
	return img;
}
