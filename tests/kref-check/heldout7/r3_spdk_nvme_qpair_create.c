/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (not a copy) of a refcount bug fixed in SPDK.
 *
 * Repository: spdk/spdk
 * Commit:     c05b36e326450ddbf07e971d4b84cc9681d39490
 * Title:      "bdev/nvme: fix thread race between nvme_ctrlr_put_ref and
 *              nvme_qpair_create"
 * Path:       module/bdev/nvme/bdev_nvme.c
 * Function:   nvme_qpair_create()
 *
 * nvme_ctrlr_put_ref() drops the controller's count under
 * nvme_ctrlr->mutex and, when it reaches zero, unlocks and schedules the
 * io_device unregistration that frees the controller.  A thread creating
 * an I/O channel for the controller (bdev_nvme_create_ctrlr_channel_cb ->
 * nvme_qpair_create) took its reference with nvme_ctrlr_get_ref(), a
 * plain increment under the same mutex: right after (or while) the final
 * put ran, it bumped a count that had already reached zero, and the qpair
 * kept a pointer to a controller about to be freed.  Fixed by adding
 * nvme_ctrlr_try_get_ref() (increment only if the count is not zero) and
 * failing the qpair creation when it fails.
 *
 * The controller's int ref under its mutex is modelled with a struct kref
 * (kref_put_mutex for the put, kref_get_unless_zero for the try-get).
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <kref.h>

struct nvme_ctrlr {
	pthread_mutex_t mutex;
	struct kref ref;
	bool destruct;
	bool disabled;
	const char *name;
};

struct nvme_ctrlr_channel;

struct nvme_qpair {
	struct nvme_ctrlr *nvme_ctrlr;	/* holds a controller reference */
	struct nvme_ctrlr_channel *ctrlr_ch;
};

struct nvme_ctrlr_channel {
	struct nvme_qpair *qpair;
};

/* defers nvme_ctrlr_delete() (which frees the controller) to the io_device layer */
extern void spdk_io_device_unregister(void *io_device,
				      void (*cb)(void *io_device));
extern void nvme_ctrlr_unregister_cb(void *io_device);
/* connects the I/O qpair; 0 on success */
extern int bdev_nvme_create_qpair(struct nvme_qpair *nvme_qpair);
extern void nvme_qpair_delete(struct nvme_qpair *nvme_qpair);

/* called with nvme_ctrlr->mutex held by kref_put_mutex() */
static void nvme_ctrlr_release(struct kref *kref)
{
	struct nvme_ctrlr *nvme_ctrlr = container_of(kref, struct nvme_ctrlr, ref);

	pthread_mutex_unlock(&nvme_ctrlr->mutex);
	spdk_io_device_unregister(nvme_ctrlr, nvme_ctrlr_unregister_cb);
}

static void nvme_ctrlr_put_ref(struct nvme_ctrlr *nvme_ctrlr)
{
	kref_put_mutex(&nvme_ctrlr->ref, nvme_ctrlr_release, &nvme_ctrlr->mutex);
}

static void nvme_ctrlr_get_ref(struct nvme_ctrlr *nvme_ctrlr)
{
	pthread_mutex_lock(&nvme_ctrlr->mutex);
	kref_get(&nvme_ctrlr->ref);
	pthread_mutex_unlock(&nvme_ctrlr->mutex);
}

static int nvme_qpair_create(struct nvme_ctrlr *nvme_ctrlr,
			     struct nvme_ctrlr_channel *ctrlr_ch)
{
	struct nvme_qpair *nvme_qpair;
	int rc;

	nvme_qpair = calloc(1, sizeof(*nvme_qpair));
	if (!nvme_qpair)
		return -1;

	nvme_ctrlr_get_ref(nvme_ctrlr); /* expect: rule 3 */

	nvme_qpair->nvme_ctrlr = nvme_ctrlr;
	nvme_qpair->ctrlr_ch = ctrlr_ch;

	if (!nvme_ctrlr->disabled) {
		rc = bdev_nvme_create_qpair(nvme_qpair);
		if (rc != 0) {
			nvme_qpair_delete(nvme_qpair);
			return rc;
		}
	}

	ctrlr_ch->qpair = nvme_qpair;
	return 0;
}

/* io_device channel constructor: any thread that gets an I/O channel */
int bdev_nvme_create_ctrlr_channel_cb(void *io_device, void *ctx_buf)
{
	struct nvme_ctrlr *nvme_ctrlr = io_device;
	struct nvme_ctrlr_channel *ctrlr_ch = ctx_buf;

	return nvme_qpair_create(nvme_ctrlr, ctrlr_ch);
}

/* app thread: the caller holds a controller reference; the reset takes its own */
void bdev_nvme_reset_ctrlr(struct nvme_ctrlr *nvme_ctrlr)
{
	nvme_ctrlr_get_ref(nvme_ctrlr);
	/* ... the reset completes asynchronously and puts the reference */
}

/* app thread: the last holder (e.g. a finished reset or delete) drops its ref */
void bdev_nvme_delete_ctrlr_done(struct nvme_ctrlr *nvme_ctrlr)
{
	nvme_ctrlr->destruct = true;
	nvme_ctrlr_put_ref(nvme_ctrlr);
}
