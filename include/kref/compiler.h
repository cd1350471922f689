/* SPDX-License-Identifier: MIT */
/*
 * kref/compiler.h - branch hints and attributes used by the libkref headers.
 *
 * Prefixed so that including <kref.h> never defines likely() or unlikely()
 * behind a program's back.
 */
#ifndef KREF_COMPILER_H
#define KREF_COMPILER_H

#if defined(__GNUC__) || defined(__clang__)
#define kref_likely(x)		__builtin_expect(!!(x), 1)
#define kref_unlikely(x)	__builtin_expect(!!(x), 0)
#define KREF_MUST_CHECK		__attribute__((warn_unused_result))
#define KREF_COLD		__attribute__((cold, noinline))
#else
#define kref_likely(x)		(x)
#define kref_unlikely(x)	(x)
#define KREF_MUST_CHECK
#define KREF_COLD
#endif

/* Argument n is used as an address only, never read through, so GCC need
 * not warn when it points to memory not yet initialised. */
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 10
#define KREF_ADDRESS_ONLY(n)	__attribute__((access(none, n)))
#else
#define KREF_ADDRESS_ONLY(n)
#endif

/* ThreadSanitizer builds, which need telling about orderings it cannot see
 * (membarrier, RCU grace periods). */
#if defined(__SANITIZE_THREAD__)
#define KREF_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define KREF_TSAN 1
#endif
#endif

/*
 * Built with -DKREF_VALGRIND, every put tells Helgrind and DRD that it
 * happens before the release it may lead to, as libstdc++ does for
 * shared_ptr: they do not model C11 atomics.  Not under TSan, which does.
 */
#ifdef KREF_VALGRIND
#include <valgrind/helgrind.h>
#define kref_vg_happens_before(addr)	ANNOTATE_HAPPENS_BEFORE(addr)
#define kref_vg_happens_after(addr)	ANNOTATE_HAPPENS_AFTER(addr)
#else
#define kref_vg_happens_before(addr)	((void)0)
#define kref_vg_happens_after(addr)	((void)0)
#endif

/* Error pointers, as the kernel's ERR_PTR(): the top KREF_MAX_ERRNO
 * addresses stand for -1 .. -KREF_MAX_ERRNO, and no object occupies them
 * (kref/cleanup.h, <linux/err.h> in compat/, debug mode). */
#define KREF_MAX_ERRNO	4095

#ifdef __cplusplus
#define KREF_BEGIN_DECLS	extern "C" {
#define KREF_END_DECLS		}
#else
#define KREF_BEGIN_DECLS
#define KREF_END_DECLS
#endif

#ifdef KREF_TSAN
/* Not API: ThreadSanitizer's own annotations (its runtime defines them),
 * declared for the fast paths that tell it about orderings it cannot see. */
KREF_BEGIN_DECLS
void __tsan_acquire(void *addr);
void __tsan_release(void *addr);
KREF_END_DECLS
#endif

#endif /* KREF_COMPILER_H */
