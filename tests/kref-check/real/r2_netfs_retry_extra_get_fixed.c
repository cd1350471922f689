/* SPDX-License-Identifier: MIT */
/*
 * Fixed twin of r2_netfs_retry_extra_get.c (own code): torvalds/linux
 * commit 97d8e8e52cb8ab3d7675880a92626d9a4332f7a6,
 * fs/netfs/write_collect.c.  The extra get is gone: the two references the
 * allocator gave are the list's and the resubmission's.
 */
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/slab.h>
#include "kernel_shim.h"

struct netfs_io_subrequest { struct kref ref; struct list_head rreq_link; long start, len; };

void netfs_reissue_write(struct netfs_io_subrequest *subreq);	/* puts one reference */

static void netfs_free_subrequest(struct kref *ref)
{
	kfree(container_of(ref, struct netfs_io_subrequest, ref));
}

void netfs_put_subrequest(struct netfs_io_subrequest *subreq)
{
	kref_put(&subreq->ref, netfs_free_subrequest);
}

static struct netfs_io_subrequest *netfs_alloc_subrequest(void)
{
	struct netfs_io_subrequest *subreq = kzalloc(sizeof(*subreq), GFP_KERNEL);

	if (subreq) {
		kref_init(&subreq->ref);
		kref_get(&subreq->ref);	/* one for the list, one for the caller */
		INIT_LIST_HEAD(&subreq->rreq_link);
	}
	return subreq;
}

int netfs_retry_insert_extra(struct list_head *to, long start, long len)
{
	struct netfs_io_subrequest *subreq = netfs_alloc_subrequest();

	if (!subreq)
		return -ENOMEM;
	subreq->start = start;
	subreq->len = len;
	list_add(&subreq->rreq_link, to);
	netfs_reissue_write(subreq);
	return 0;
}
