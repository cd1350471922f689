/* SPDX-License-Identifier: MIT */
/*
 * rcuref.c - the slow paths of rcuref_t: the last put, and the counter
 * leaving the live range.  The zones are described in kref/rcuref.h.
 */
#include <kref/rcuref.h>
#include "internal.h"

static atomic_bool warned_saturated, warned_imbalanced;

/* @cnt is the value our increment produced, outside 0 .. RCUREF_MAXREF. */
bool rcuref_get_slowpath(rcuref_t *ref, unsigned int cnt)
{
	/* Dead: undo the drift into the middle of the dead zone and fail.
	 * Relaxed: the store publishes nothing, it only re-centres (an
	 * exchange, so valgrind's tools see an atomic operation). */
	if (cnt >= RCUREF_RELEASED) {
		kref_atomic_xchg_relaxed_(&ref->refcnt, (int)RCUREF_DEAD);
		return false;
	}
	kref_report_once(&warned_saturated, "rcuref saturated - leaking memory",
			 __builtin_return_address(0));
	kref_atomic_xchg_relaxed_(&ref->refcnt, (int)RCUREF_SATURATED);
	return true;
}

/* @cnt is the value our decrement produced, outside 0 .. RCUREF_MAXREF. */
bool rcuref_put_slowpath(rcuref_t *ref, unsigned int cnt)
{
	if (cnt == RCUREF_NOREF) {
		int expect = (int)RCUREF_NOREF;

		/* The last reference, unless a get got in since: only the
		 * swap from NOREF to DEAD releases.  acq_rel on success: the
		 * release orders our accesses as any put's, the acquire
		 * orders every earlier put's before the caller frees. */
		return kref_atomic_try_cmpxchg_acq_rel_(&ref->refcnt, &expect,
						       (int)RCUREF_DEAD);
	}
	if (cnt >= RCUREF_RELEASED) {
		kref_report_once(&warned_imbalanced, "rcuref - imbalanced put()",
				 __builtin_return_address(0));
		kref_atomic_xchg_relaxed_(&ref->refcnt, (int)RCUREF_DEAD);
		return false;
	}
	/* A put on a saturated counter: back to the middle of its zone. */
	kref_atomic_xchg_relaxed_(&ref->refcnt, (int)RCUREF_SATURATED);
	return false;
}
