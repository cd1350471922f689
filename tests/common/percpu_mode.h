/* SPDX-License-Identifier: MIT */
/*
 * percpu_mode.h - percpu_mode(): percpu_ref_percpu_available() for a test
 * that skips what needs per-CPU mode when it is off.
 *
 * With KREF_REQUIRE_PERCPU=1 in the environment (make check-system's
 * guest, which boots a kernel with rseq and membarrier to test per-CPU
 * mode), per-CPU mode being off is the failure itself: the test bails out
 * instead of skipping, so the summary cannot show a pass for a fast path
 * that never ran.
 */
#ifndef TESTS_PERCPU_MODE_H
#define TESTS_PERCPU_MODE_H

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <kref/percpu.h>
#include "tap.h"

static inline bool percpu_mode(void)
{
	const char *required = getenv("KREF_REQUIRE_PERCPU");

	if (percpu_ref_percpu_available())
		return true;
	if (required && *required && strcmp(required, "0") != 0)
		BAIL_OUT("per-CPU mode is off, and KREF_REQUIRE_PERCPU=%s "
			 "requires it", required);
	return false;
}

#endif /* TESTS_PERCPU_MODE_H */
