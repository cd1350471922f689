/* SPDX-License-Identifier: MIT */
/*
 * kref.h - libkref: the Linux kernel's kref and refcount_t for user space.
 *
 *   kref/version.h    KREF_VERSION_STRING, KREF_CHECK_VERSION() (freestanding)
 *   kref/refcount.h   refcount_t: saturating atomic counter (freestanding)
 *   kref/kref.h       struct kref, container_of (freestanding)
 *   kref/locks.h      final puts under a pthread mutex or spinlock
 *   kref/rcuref.h     rcuref_t: one-add get and put for RCU-freed objects
 *   kref/percpu.h     percpu_ref: per-CPU counting for hot objects
 *   kref/debug.h      with -DKREF_DEBUG: call sites, history, rule reports
 *   kref/cleanup.h    scope-based cleanup: __free(), guard(), the kernel's
 *                     cleanup.h (C with GCC or Clang; -DKREF_NO_CLEANUP: not)
 *
 * Link with -lkref (pkg-config libkref) for the misuse reports.
 */
#ifndef KREF_H
#define KREF_H

#include <kref/version.h>
#include <kref/refcount.h>
#include <kref/kref.h>
#include <kref/locks.h>
#include <kref/rcuref.h>
#include <kref/percpu.h>
#ifdef KREF_DEBUG
#include <kref/debug.h>
#else
/*
 * kref_debug_report_leaks() (kref/debug.h) in every build, so that a
 * program calls it whether or not it is built with KREF_DEBUG: libkref
 * has it, and with no unit built with KREF_DEBUG nothing is tracked and it
 * returns 0.
 */
KREF_BEGIN_DECLS
unsigned long kref_debug_report_leaks(void);
KREF_END_DECLS
#endif
#if !defined(__cplusplus) && defined(__GNUC__) && !defined(KREF_NO_CLEANUP)
#include <kref/cleanup.h>
#endif

#endif /* KREF_H */
