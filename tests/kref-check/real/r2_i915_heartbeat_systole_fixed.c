/* SPDX-License-Identifier: MIT */
/*
 * Fixed twin of r2_i915_heartbeat_systole.c (own code): torvalds/linux
 * commit 4c71fd099513bfa8acab529b626e1f0097b76061,
 * drivers/gpu/drm/i915/gt/intel_engine_heartbeat.c.  Both paths take the
 * stored pointer and clear the field in one xchg(), so only one of them
 * owns the reference it puts.
 */
#include <linux/kref.h>
#include <linux/slab.h>
#include "kernel_shim.h"

struct i915_request { struct kref ref; int completed; };
struct intel_engine_cs { struct work_struct heartbeat_work; struct i915_request *systole; };

bool cancel_delayed_work(struct work_struct *w);
#define xchg(p, v)	__atomic_exchange_n((p), (v), __ATOMIC_SEQ_CST)

static void i915_request_release(struct kref *ref)
{
	kfree(container_of(ref, struct i915_request, ref));
}

static void i915_request_put(struct i915_request *rq)
{
	kref_put(&rq->ref, i915_request_release);
}

void heartbeat(struct work_struct *wrk)
{
	struct intel_engine_cs *engine = container_of(wrk, struct intel_engine_cs, heartbeat_work);
	struct i915_request *rq = xchg(&engine->systole, NULL);

	if (rq) {
		if (rq->completed)
			i915_request_put(rq);
		else
			engine->systole = rq;
	}
}

void intel_engine_park_heartbeat(struct intel_engine_cs *engine)
{
	if (cancel_delayed_work(&engine->heartbeat_work)) {
		struct i915_request *rq = xchg(&engine->systole, NULL);

		if (rq)
			i915_request_put(rq);
	}
}
