/* SPDX-License-Identifier: MIT */
/*
 * kref/atomic.h - the handful of atomic operations on an int that the
 * counters are built from, named after the kernel's atomic_t operations.
 *
 * C uses <stdatomic.h>, C++ uses <atomic>; std::atomic<int> and atomic_int
 * have the same size, alignment and representation on every compiler we
 * support, so C and C++ translation units can share a counter.  Signed
 * atomic arithmetic wraps in both languages (C11 7.17.7.5, C++ [atomics]),
 * so no operation here has undefined behaviour.
 *
 * The memory order is part of each name; the callers say why it is enough.
 * The long types are for percpu_ref, which uses the generic functions
 * (KREF_STD atomic_fetch_add_explicit and so on) directly.
 */
#ifndef KREF_ATOMIC_H
#define KREF_ATOMIC_H

#ifdef __cplusplus
#include <atomic>
typedef std::atomic<int> kref_atomic_int;
typedef std::atomic<long> kref_atomic_long;
typedef std::atomic<unsigned long> kref_atomic_ulong;
#define KREF_STD std::
#else
#include <stdatomic.h>
#include <stdbool.h>
typedef atomic_int kref_atomic_int;
typedef atomic_long kref_atomic_long;
typedef atomic_ulong kref_atomic_ulong;
#define KREF_STD
#endif

#define KREF_MO(order) KREF_STD memory_order_##order

static inline int kref_atomic_read(const kref_atomic_int *v)
{
	return KREF_STD atomic_load_explicit(v, KREF_MO(relaxed));
}

static inline int kref_atomic_read_acquire(const kref_atomic_int *v)
{
	return KREF_STD atomic_load_explicit(v, KREF_MO(acquire));
}

static inline void kref_atomic_set(kref_atomic_int *v, int i)
{
	KREF_STD atomic_store_explicit(v, i, KREF_MO(relaxed));
}

static inline void kref_atomic_set_release(kref_atomic_int *v, int i)
{
	KREF_STD atomic_store_explicit(v, i, KREF_MO(release));
}

/* A relaxed store done as an exchange: for slow paths, where Helgrind and
 * DRD would take a plain store racing an atomic RMW for a data race. */
static inline void kref_atomic_xchg_relaxed(kref_atomic_int *v, int i)
{
	(void)KREF_STD atomic_exchange_explicit(v, i, KREF_MO(relaxed));
}

static inline int kref_atomic_fetch_add_relaxed(kref_atomic_int *v, int i)
{
	return KREF_STD atomic_fetch_add_explicit(v, i, KREF_MO(relaxed));
}

static inline int kref_atomic_fetch_sub_release(kref_atomic_int *v, int i)
{
	return KREF_STD atomic_fetch_sub_explicit(v, i, KREF_MO(release));
}

/*
 * Strong compare-and-swap, as the kernel's atomic_try_cmpxchg(): fails only
 * if *v != *old, and then stores the current value in *old.  A failure
 * orders nothing.
 */
#define KREF_DEFINE_TRY_CMPXCHG(suffix, order)				\
static inline bool kref_atomic_try_cmpxchg_##suffix(kref_atomic_int *v,	\
						    int *old, int new_)	\
{									\
	return KREF_STD atomic_compare_exchange_strong_explicit(v, old, new_, \
				KREF_MO(order), KREF_MO(relaxed));	\
}
KREF_DEFINE_TRY_CMPXCHG(relaxed, relaxed)
KREF_DEFINE_TRY_CMPXCHG(acquire, acquire)
KREF_DEFINE_TRY_CMPXCHG(release, release)
KREF_DEFINE_TRY_CMPXCHG(acq_rel, acq_rel)
#undef KREF_DEFINE_TRY_CMPXCHG

#endif /* KREF_ATOMIC_H */
