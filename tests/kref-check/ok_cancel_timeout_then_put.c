/* SPDX-License-Identifier: MIT */
/* Rule 2, correct, kernel style.  A request holds two references while
 * its timeout is armed: the table's and the timeout work's.  Completion
 * cancels the timeout; when the cancel wins, the work's reference is
 * now the completer's to drop, so it puts twice: once for the work,
 * once for the table.  Not a double put. */
#include <linux/kref.h>
#include <linux/slab.h>
#include "kernel_shim.h"

struct req {
	struct kref ref;
	struct work_struct timeout;
	int tag;
};

/* True if the work was pending and will now not run. */
extern bool cancel_work_sync(struct work_struct *work);
/* Removes the request with this tag from the table and returns it with
 * the table's reference, or NULL. */
extern struct req *req_table_take(int tag);

static void req_free(struct kref *ref)
{
	kfree(container_of(ref, struct req, ref));
}

void req_complete(int tag)
{
	struct req *r = req_table_take(tag);

	if (!r)
		return;
	if (cancel_work_sync(&r->timeout)) {
		pr_info("req %d done before its timeout\n", r->tag);
		kref_put(&r->ref, req_free);
	}
	kref_put(&r->ref, req_free);
}
