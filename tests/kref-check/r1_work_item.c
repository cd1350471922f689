/* SPDX-License-Identifier: MIT */
/* Rule 1, kernel style: schedule_work before the work's reference is
 * taken; the correct order below. */
#include <linux/kref.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include "kernel_shim.h"

struct worker_ctx { struct kref kref; struct work_struct work; int todo; };

static void worker_ctx_release(struct kref *kref)
{
	kfree(container_of(kref, struct worker_ctx, kref));
}

static void worker_fn(struct work_struct *work)
{
	struct worker_ctx *ctx = container_of(work, struct worker_ctx, work);
	ctx->todo = 0;
	kref_put(&ctx->kref, worker_ctx_release);
}

/* Violation: the work item may run and put before the get. */
int kick(struct worker_ctx *ctx)
{
	INIT_WORK(&ctx->work, worker_fn);
	schedule_work(&ctx->work);
	kref_get(&ctx->kref);	/* expect: rule 1 */
	return 0;
}

/* Correct. */
int kick_ok(struct worker_ctx *ctx)
{
	INIT_WORK(&ctx->work, worker_fn);
	kref_get(&ctx->kref);
	if (!schedule_work(&ctx->work))
		kref_put(&ctx->kref, worker_ctx_release);
	return 0;
}
