/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: torvalds/linux commit
 * 4c71fd099513bfa8acab529b626e1f0097b76061 "drm/i915/gt: fix refcount
 * underflow in intel_engine_park_heartbeat" (cherry-picked from
 * 13238dc0ee4f), drivers/gpu/drm/i915/gt/intel_engine_heartbeat.c.  The
 * heartbeat worker put the request stored in engine->heartbeat.systole and
 * cleared the field in a separate step; the park path, racing, read the
 * stale pointer and put the same request again.
 */
#include <linux/kref.h>
#include <linux/slab.h>
#include "kernel_shim.h"

struct i915_request { struct kref ref; int completed; };
struct intel_engine_cs { struct work_struct heartbeat_work; struct i915_request *systole; };

bool cancel_delayed_work(struct work_struct *w);

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
	struct i915_request *rq = engine->systole;

	if (rq && rq->completed) {
		i915_request_put(rq);	/* expect: rule 2 */
		engine->systole = NULL;
	}
}

void intel_engine_park_heartbeat(struct intel_engine_cs *engine)
{
	if (cancel_delayed_work(&engine->heartbeat_work) && engine->systole) {
		i915_request_put(engine->systole);
		engine->systole = NULL;
	}
}
