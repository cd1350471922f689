/* SPDX-License-Identifier: MIT */
/*
 * debug_internal.h - what debug.c (the side table) gives debug_scope.c
 * (cleanup.h's scope-based references); not installed.
 */
#ifndef KREF_DEBUG_INTERNAL_H
#define KREF_DEBUG_INTERNAL_H

#include <stdbool.h>
#include <kref/kref.h>
#include <kref/debug.h>

#pragma GCC visibility push(hidden)

/* Records @site as the place where a reference to the tracked object
 * whose kref is @kref escaped its scope (no_free_ptr() and the like);
 * false, with nothing read at @kref, if no live tracked object has its
 * kref there. */
bool kref_debug_record_escape_(const struct kref *kref,
			       const struct kref_site *site);

#pragma GCC visibility pop

#endif /* KREF_DEBUG_INTERNAL_H */
