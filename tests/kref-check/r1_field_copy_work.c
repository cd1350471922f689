/* SPDX-License-Identifier: MIT */
/* Rule 1, kernel style: a flush request carries a copy of the disk pointer
 * in its field and is queued as a work item whose handler puts that field;
 * no reference was taken for the copy, so the handler puts the caller's. */
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
	req->disk = disk;
	INIT_WORK(&req->work, flush_req_fn);
	schedule_work(&req->work);	/* expect: rule 1 */
	return 0;
}
