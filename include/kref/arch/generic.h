/* SPDX-License-Identifier: MIT */
/*
 * kref/arch/generic.h - percpu_ref's fast path: the contract every
 * architecture's file meets, what they share, and the fallback.  Included
 * by <kref/percpu.h> and by each kref/arch/ARCH.h; not for direct use.
 *
 * An architecture's file (x86_64.h, aarch64.h) defines, where
 * KREF_RSEQ_AVAILABLE_ says the C library registers a restartable
 * sequence area for each thread, KREF_PERCPU_RSEQ and
 *
 *	static inline bool percpu_ref_arch_add_(kref_atomic_ulong *pcp,
 *						unsigned long delta);
 *
 * which, in one restartable sequence, loads the ref's counter pointer
 * from @pcp, returns false if it carries a mode flag or if this CPU's
 * number is percpu_ref_nr_cpus_ or more, and otherwise adds @delta to this
 * CPU's counter (CPU c's is c << KREF_PERCPU_UNIT_SHIFT_ bytes past CPU
 * 0's) in its last instruction, the commit.  A new architecture is one
 * such file, and one line in <kref/percpu.h>.
 *
 * The fallback: without such a file (any other architecture), or without
 * glibc 2.35's rseq registration, KREF_PERCPU_RSEQ stays undefined and
 * percpu_ref counts on its atomic counter.
 */
#ifndef KREF_ARCH_GENERIC_H
#define KREF_ARCH_GENERIC_H

#if defined(__GLIBC__) && \
	(__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 35))
#include <sys/rseq.h>
#define KREF_RSEQ_AVAILABLE_ 1
/* This thread's struct rseq, as glibc registered it (a macro: compiled
 * only by the architectures that use it). */
#define kref_rseq_area_() \
	((struct rseq *)((char *)__builtin_thread_pointer() + __rseq_offset))
#endif

#endif /* KREF_ARCH_GENERIC_H */
