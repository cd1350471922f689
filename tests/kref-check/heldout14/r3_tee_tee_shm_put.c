/* SPDX-License-Identifier: MIT */
/*
 * Project: torvalds/linux
 * Path:    drivers/tee/tee_shm.c
 * Fix:     dfd0743f1d9ea76931510ed150334d571fbab49d ("tee: handle lookup of shm with reference count 0")
 * Bug:     tee_shm_put() drops the shared memory's count to zero without
 *          teedev->mutex and the release only then takes the mutex to remove
 *          the shm from teedev->idr, so tee_shm_get_from_id() can find it in
 *          the IDR under the mutex and take a reference on a dying object.
 */
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include "kernel_shim.h"

struct idr;

struct tee_device {
	struct mutex mutex;	/* protects idr and the contexts' shm lists */
	struct idr *idr;
};

struct tee_context {
	struct tee_device *teedev;
};

struct tee_shm {
	struct tee_device *teedev;
	struct tee_context *ctx;
	struct list_head link;	/* in the context's shm list */
	struct kref refcount;	/* was the dma-buf's count */
	int id;
};

/* returns the entry stored under id, borrowed; caller holds teedev->mutex */
extern void *idr_find(struct idr *idr, unsigned long id);
/* removes the entry stored under id; caller holds teedev->mutex */
extern void *idr_remove(struct idr *idr, unsigned long id);
/* gives the shm's pages back to the pool it came from */
extern void tee_shm_pool_free(struct tee_device *teedev, struct tee_shm *shm);
/* drops the shm's reference on the device */
extern void tee_device_put(struct tee_device *teedev);

static void tee_shm_release(struct kref *ref)
{
	struct tee_shm *shm = container_of(ref, struct tee_shm, refcount);
	struct tee_device *teedev = shm->teedev;

	mutex_lock(&teedev->mutex);
	idr_remove(teedev->idr, shm->id);
	if (shm->ctx)
		list_del(&shm->link);
	mutex_unlock(&teedev->mutex);

	tee_shm_pool_free(teedev, shm);
	kfree(shm);
	tee_device_put(teedev);
}

struct tee_shm *tee_shm_get_from_id(struct tee_context *ctx, int id)
{
	struct tee_device *teedev;
	struct tee_shm *shm;

	if (!ctx)
		return ERR_PTR(-EINVAL);

	teedev = ctx->teedev;
	mutex_lock(&teedev->mutex);
	shm = idr_find(teedev->idr, id);
	if (!shm || shm->ctx != ctx)
		shm = ERR_PTR(-EINVAL);
	else
		kref_get(&shm->refcount);
	mutex_unlock(&teedev->mutex);
	return shm;
}

void tee_shm_put(struct tee_shm *shm)
{
	kref_put(&shm->refcount, tee_shm_release); /* expect: rule 3 */
}

void tee_shm_free(struct tee_shm *shm)
{
	tee_shm_put(shm);
}
