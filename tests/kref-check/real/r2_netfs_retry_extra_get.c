/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: torvalds/linux commit
 * 97d8e8e52cb8ab3d7675880a92626d9a4332f7a6 "netfs: Fix ref leak on inserted
 * extra subreq in write retry", fs/netfs/write_collect.c.  The allocator
 * already gives a new subrequest two references (one for the request's
 * list, one for the submission), and the retry path took a third, through
 * netfs's own get helper, for the resubmission: one is never put.
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

static void netfs_get_subrequest(struct netfs_io_subrequest *subreq)
{
	kref_get(&subreq->ref);
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
	netfs_get_subrequest(subreq);	/* expect: rule 2 */
	list_add(&subreq->rreq_link, to);
	netfs_reissue_write(subreq);
	return 0;
}
