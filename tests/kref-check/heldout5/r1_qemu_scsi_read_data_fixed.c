/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: qemu/qemu commit
 * c7bae6a75b5b43d560f5b18386447842f9bfec37 "scsi-disk: bump SCSIRequest
 * reference count until aio completion runs", hw/scsi-disk.c,
 * scsi_read_data(), scsi_read_complete() and scsi_cancel_io().  The request
 * is passed to bdrv_aio_readv() as the completion's opaque pointer with no
 * reference of its own; a request cancelled (and unreferenced by the bus)
 * before the completion runs is freed under it.  The fix takes
 * scsi_req_ref() before starting the AIO and drops it in the completion,
 * or in scsi_cancel_io() when the AIO is cancelled.  Code reconstructed
 * from the message and the fix's pattern in later copies of the file.
 * SCSIRequest's refcount written with a kref.
 */
#include <stdlib.h>
#include <stdint.h>
#include <kref.h>

typedef struct BlockDriverAIOCB BlockDriverAIOCB;
typedef struct BlockDriverState BlockDriverState;
typedef void BlockDriverCompletionFunc(void *opaque, int ret);

typedef struct SCSIRequest {
	struct kref refcount;
	BlockDriverAIOCB *aiocb;
} SCSIRequest;

typedef struct SCSIDiskReq {
	SCSIRequest req;
	uint64_t sector;
	uint32_t sector_count;
	size_t qiov_size;
} SCSIDiskReq;

#define DO_UPCAST(type, field, dev) container_of(dev, type, field)

extern BlockDriverState *scsi_disk_bs(SCSIRequest *req);
/* Starts an asynchronous read; cb(opaque, ret) runs later in the main loop. */
extern BlockDriverAIOCB *bdrv_aio_readv(BlockDriverState *bs, int64_t sector_num, size_t n,
				       BlockDriverCompletionFunc *cb, void *opaque);
extern void bdrv_aio_cancel(BlockDriverAIOCB *acb);
/* Returns the number of sectors mapped into the request's iovec. */
extern size_t scsi_init_iovec(SCSIDiskReq *r);
/* Passes len bytes of data to the HBA. */
extern void scsi_req_data(SCSIRequest *req, size_t len);
extern int scsi_handle_rw_error(SCSIDiskReq *r, int error);

static void scsi_req_free(struct kref *ref)
{
	free(container_of(ref, SCSIRequest, refcount));
}

SCSIRequest *scsi_req_ref(SCSIRequest *req)
{
	kref_get(&req->refcount);
	return req;
}

void scsi_req_unref(SCSIRequest *req)
{
	kref_put(&req->refcount, scsi_req_free);
}

static void scsi_read_complete(void *opaque, int ret)
{
	SCSIDiskReq *r = (SCSIDiskReq *)opaque;
	size_t n;

	r->req.aiocb = NULL;

	if (ret) {
		if (scsi_handle_rw_error(r, -ret))
			goto done;
	}

	n = r->qiov_size / 512;
	r->sector += n;
	r->sector_count -= n;
	scsi_req_data(&r->req, r->qiov_size);

done:
	scsi_req_unref(&r->req);
}

void scsi_read_data(SCSIRequest *req)
{
	SCSIDiskReq *r = DO_UPCAST(SCSIDiskReq, req, req);
	size_t n;

	if (r->sector_count == 0) {
		scsi_req_data(&r->req, 0);
		return;
	}

	/* The request is used as the AIO opaque value, so add a ref. */
	scsi_req_ref(&r->req);
	n = scsi_init_iovec(r);
	r->req.aiocb = bdrv_aio_readv(scsi_disk_bs(req), r->sector, n,
				      scsi_read_complete, r);
}

void scsi_cancel_io(SCSIRequest *req)
{
	SCSIDiskReq *r = DO_UPCAST(SCSIDiskReq, req, req);

	if (r->req.aiocb) {
		bdrv_aio_cancel(r->req.aiocb);
		/* The AIO's reference: taken over as the completion would. */
		scsi_req_unref(&r->req);
	}
	r->req.aiocb = NULL;
}
