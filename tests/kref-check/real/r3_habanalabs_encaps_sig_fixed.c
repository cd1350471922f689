/* SPDX-License-Identifier: MIT */
/*
 * Fixed twin of r3_habanalabs_encaps_sig.c (own code): "habanalabs: fix
 * race when waiting on encaps signal" (patch
 * <20220128165058.2797574-1-ogabbay@kernel.org>),
 * drivers/misc/habanalabs/common/command_submission.c.  The waiter takes
 * its reference with kref_get_unless_zero() and treats a handle whose
 * count is zero as not found.
 */
#include <linux/kref.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include "kernel_shim.h"

struct hl_encaps_signals_mgr { spinlock_t lock; };
struct hl_encaps_signal_handle { struct kref refcount; struct hl_encaps_signals_mgr *mgr; unsigned long long cs_seq; int id; };

void *idr_find(void *idr, int id);
void idr_remove(void *idr, int id);
extern void *sig_handles;

static void hl_encaps_handle_do_release(struct kref *ref)
{
	struct hl_encaps_signal_handle *h = container_of(ref, struct hl_encaps_signal_handle, refcount);

	spin_lock(&h->mgr->lock);
	idr_remove(sig_handles, h->id);
	spin_unlock(&h->mgr->lock);
	kfree(h);
}

void hl_encaps_handle_put(struct hl_encaps_signal_handle *h)
{
	kref_put(&h->refcount, hl_encaps_handle_do_release);
}

struct hl_encaps_signal_handle *cs_wait_find_handle(struct hl_encaps_signals_mgr *mgr, int id)
{
	struct hl_encaps_signal_handle *h;

	spin_lock(&mgr->lock);
	h = idr_find(sig_handles, id);
	if (h && !kref_get_unless_zero(&h->refcount))
		h = NULL;
	spin_unlock(&mgr->lock);
	return h;
}
