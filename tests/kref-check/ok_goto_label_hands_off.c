/* SPDX-License-Identifier: MIT */
/* Correct, kernel style: the early goto skips the retry but not the end,
 * where the reference taken for the grant goes with the block onto the
 * pending queue (whose callback puts it).  No path leaks it (issue 18). */
#include <linux/kref.h>
#include <linux/slab.h>
#include "kernel_shim.h"

struct block {
	struct kref kref;
	int granted;
	int retries;
};

static void block_release(struct kref *kref)
{
	kfree(container_of(kref, struct block, kref));
}

void block_put(struct block *b)
{
	kref_put(&b->kref, block_release);
}

void grant_queue_insert(struct block *b, long when);	/* the callback puts */
int try_lock_again(struct block *b);

void grant_blocked(struct block *b)
{
	kref_get(&b->kref);
	if (b->granted) {
		b->retries++;
		goto callback;
	}
	if (try_lock_again(b) < 0) {
		block_put(b);
		return;
	}
callback:
	b->granted = 1;
	grant_queue_insert(b, 0);
}
