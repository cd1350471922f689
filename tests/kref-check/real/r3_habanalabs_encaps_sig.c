/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: "habanalabs: fix race when
 * waiting on encaps signal" (Dani Liberman, Jan 2022; patch
 * <20220128165058.2797574-1-ogabbay@kernel.org>, merged for v5.18 through
 * char-misc), drivers/misc/habanalabs/common/command_submission.c.  The
 * waiter finds the handle in the signal manager's idr under its lock and
 * takes a plain kref_get, but the handle's final put runs outside that
 * lock and the release removes it from the idr afterwards: a handle whose
 * count already reached zero could be revived and then freed under the
 * waiter.
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
	kref_put(&h->refcount, hl_encaps_handle_do_release);	/* expect: rule 3 (the other half) */
}

struct hl_encaps_signal_handle *cs_wait_find_handle(struct hl_encaps_signals_mgr *mgr, int id)
{
	struct hl_encaps_signal_handle *h;

	spin_lock(&mgr->lock);
	h = idr_find(sig_handles, id);
	if (h)
		kref_get(&h->refcount);	/* expect: rule 3 */
	spin_unlock(&mgr->lock);
	return h;
}
