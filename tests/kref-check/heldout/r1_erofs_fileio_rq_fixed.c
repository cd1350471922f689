/* SPDX-License-Identifier: MIT */
/*
 * Fixed twin of r1_erofs_fileio_rq.c (own code): torvalds/linux commit
 * 1caf50ce4af096d0280d59a31abdd85703cd995c, fs/erofs/fileio.c.  The
 * request starts with two references (refcount_set(&rq->ref, 2) in the
 * fix): one for the I/O completion, one the submitter puts once
 * vfs_iocb_iter_read() has returned.
 */
#include <linux/kref.h>
#include <linux/slab.h>
#include "kernel_shim.h"

#define EIOCBQUEUED 529

struct file;
struct kiocb { struct file *ki_filp; long long ki_pos; int ki_flags; void (*ki_complete)(struct kiocb *iocb, long ret); };
struct erofs_fileio_rq { struct kref ref; struct kiocb iocb; int bio_status; };

long vfs_iocb_iter_read(struct file *file, struct kiocb *iocb, void *iter);	/* may complete asynchronously */
void erofs_bio_endio(struct erofs_fileio_rq *rq, long ret);

static void erofs_fileio_rq_release(struct kref *ref)
{
	kfree(container_of(ref, struct erofs_fileio_rq, ref));
}

static void erofs_fileio_ki_complete(struct kiocb *iocb, long ret)
{
	struct erofs_fileio_rq *rq = container_of(iocb, struct erofs_fileio_rq, iocb);

	erofs_bio_endio(rq, ret);
	kref_put(&rq->ref, erofs_fileio_rq_release);
}

struct erofs_fileio_rq *erofs_fileio_rq_alloc(struct file *filp)
{
	struct erofs_fileio_rq *rq = kzalloc(sizeof(*rq), GFP_KERNEL);

	if (!rq)
		return NULL;
	kref_init(&rq->ref);
	kref_get(&rq->ref);	/* one for the completion, one for the submitter */
	rq->iocb.ki_filp = filp;
	return rq;
}

void erofs_fileio_rq_submit(struct erofs_fileio_rq *rq, void *iter, int direct)
{
	long ret;

	rq->iocb.ki_complete = erofs_fileio_ki_complete;
	if (direct)
		rq->iocb.ki_flags = 1;
	ret = vfs_iocb_iter_read(rq->iocb.ki_filp, &rq->iocb, iter);
	if (ret != -EIOCBQUEUED)
		erofs_fileio_ki_complete(&rq->iocb, ret);
	kref_put(&rq->ref, erofs_fileio_rq_release);
}
