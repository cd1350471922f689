/* SPDX-License-Identifier: MIT */
/* Rule 2: kernel style.  The completion drops the request's reference on
 * the buffer and, when that was not the last one, unlocks the buffer's
 * mutex after the put: another holder may have dropped the last reference
 * in between and freed the buffer with its mutex. */
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
	if (!kref_put(&b->kref, xbuf_release))
		mutex_unlock(&b->lock);	/* expect: rule 2 */
}

void xbuf_end_io(struct xbuf *b, int err)
{
	if (err)
		pr_err("xbuf: io error %d\n", err);
	xbuf_complete(b);
}
