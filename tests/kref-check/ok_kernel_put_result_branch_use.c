/* SPDX-License-Identifier: MIT */
/* Rule 2 kept: kernel style.  The mutex is released before the put; the
 * put is the completion's last touch of the buffer.  The twin of
 * r2_kernel_put_result_branch_use.c. */
#include <linux/kref.h>
#include <linux/slab.h>
#include <linux/mutex.h>
#include "kernel_shim.h"

struct xbuf {
	struct kref kref;
	struct mutex lock;
	int pending;
};

static void xbuf_release(struct kref *kref)
{
	struct xbuf *b = container_of(kref, struct xbuf, kref);

	kfree(b);
}

/* Called with b->lock held and one reference of the request's. */
static void xbuf_complete(struct xbuf *b)
{
	b->pending--;
	mutex_unlock(&b->lock);
	if (!kref_put(&b->kref, xbuf_release))
		pr_info("xbuf: still in use\n");
}

void xbuf_end_io(struct xbuf *b, int err)
{
	if (err)
		pr_err("xbuf: io error %d\n", err);
	xbuf_complete(b);
}
