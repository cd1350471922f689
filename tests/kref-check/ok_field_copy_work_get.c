/* SPDX-License-Identifier: MIT */
/* A flush request carries a copy of the disk pointer and is queued as a
 * work item whose handler puts that field: the copy's reference is taken
 * before the request is queued. */
#include <linux/kref.h>
#include <linux/slab.h>
#include "kernel_shim.h"

struct disk { struct kref kref; int dirty; };
struct flush_req { struct work_struct work; struct disk *disk; };

static void disk_release(struct kref *kref)
{
	kfree(container_of(kref, struct disk, kref));
}

static void flush_req_fn(struct work_struct *work)
{
	struct flush_req *req = container_of(work, struct flush_req, work);

	req->disk->dirty = 0;
	kref_put(&req->disk->kref, disk_release);
	kfree(req);
}

int disk_flush_async(struct disk *disk)
{
	struct flush_req *req = kzalloc(sizeof(*req), GFP_KERNEL);

	if (!req)
		return -ENOMEM;
	kref_get(&disk->kref);
	req->disk = disk;
	INIT_WORK(&req->work, flush_req_fn);
	schedule_work(&req->work);
	return 0;
}

/* The submitting helper takes the copy's reference itself, through the
 * field, before it queues the request. */
static void flush_req_submit(struct flush_req *req)
{
	kref_get(&req->disk->kref);
	schedule_work(&req->work);
}

int disk_flush_async_helper(struct disk *disk)
{
	struct flush_req *req = kzalloc(sizeof(*req), GFP_KERNEL);

	if (!req)
		return -ENOMEM;
	req->disk = disk;
	INIT_WORK(&req->work, flush_req_fn);
	flush_req_submit(req);
	return 0;
}

/* Adding something to the request hands nothing of the request away. */
int flush_req_add_range(struct flush_req *req, long start, long len);

int disk_flush_range(struct disk *disk, long start, long len)
{
	struct flush_req *req = kzalloc(sizeof(*req), GFP_KERNEL);

	if (!req)
		return -ENOMEM;
	req->disk = disk;
	INIT_WORK(&req->work, flush_req_fn);
	if (flush_req_add_range(req, start, len) < 0) {
		kfree(req);
		return -EINVAL;
	}
	kref_get(&disk->kref);
	schedule_work(&req->work);
	return 0;
}
