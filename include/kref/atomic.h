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
 * Not API: like every name in these headers that ends in an underscore,
 * they are the public headers' building blocks.  The memory order is part
 * of each name; the callers say why it is enough.
 * kref_atomic_ulong is for percpu_ref, which uses the generic functions
 * (KREF_STD atomic_fetch_add_explicit and so on) directly.
 *
 * Targets with no atomic read-modify-write on an int (ARMv6-M: Cortex-M0,
 * M0+, M1) keep the counter in a plain int, and touch it only inside a
 * critical section that the firmware supplies: see kref_critical_enter().
 */
#ifndef KREF_ATOMIC_H
#define KREF_ATOMIC_H

#include <kref/compiler.h>

#ifdef __cplusplus
#include <atomic>
typedef std::atomic<unsigned long> kref_atomic_ulong;
#define KREF_STD std::
#else
#include <stdatomic.h>
#include <stdbool.h>
typedef atomic_ulong kref_atomic_ulong;
#define KREF_STD
#endif

#define KREF_MO(order) KREF_STD memory_order_##order

/*
 * KREF_ATOMIC_HOOK: 1 puts every access to a counter inside the critical
 * section below; 0 uses the compiler's atomics.  The default is 1 on bare
 * metal where an int is not always lock-free (Cortex-M0 would otherwise
 * call __atomic_fetch_add_4 and the like, which no bare-metal toolchain
 * provides); Linux always has a way (armv5's kernel helpers, libatomic).
 * Every unit of a program, libkref's included, must agree on it.
 */
#ifndef KREF_ATOMIC_HOOK
#if ATOMIC_INT_LOCK_FREE == 2 || defined(__linux__)
#define KREF_ATOMIC_HOOK 0
#else
#define KREF_ATOMIC_HOOK 1
#endif
#endif

#if KREF_ATOMIC_HOOK

/* A plain int, touched only between kref_critical_enter() and _exit(). */
typedef int kref_atomic_int;

KREF_BEGIN_DECLS
/**
 * kref_critical_enter - begin an access to @counter; supplied by the firmware
 * @counter: the counter about to be read or written
 *
 * Until the matching kref_critical_exit(), no other context (thread,
 * interrupt handler, other core) may enter a critical section for the same
 * counter.  On one core, masking interrupts does that; several cores also
 * need a lock, e.g. an RP2040 hardware spinlock chosen by @counter's
 * address, taken with interrupts masked.  Never called recursively.
 *
 * Ordering: as a lock.  Entering acquires and exiting releases, so the
 * sections on one counter are totally ordered, each happening before the
 * next.  On one core that takes a compiler barrier at both ends: asm with a
 * "memory" clobber, as atomic_signal_fence(memory_order_seq_cst) is.
 *
 * Return: what kref_critical_exit() needs to restore, e.g. the saved
 * interrupt mask.
 */
KREF_ADDRESS_ONLY(1)
unsigned long kref_critical_enter(const void *counter);

/**
 * kref_critical_exit - end the access that kref_critical_enter() began
 * @counter: the same counter
 * @state: what kref_critical_enter() returned
 *
 * Ordering: release, as a lock's unlock: the section's accesses happen
 * before the next section on @counter (see kref_critical_enter()).
 */
KREF_ADDRESS_ONLY(1)
void kref_critical_exit(const void *counter, unsigned long state);
KREF_END_DECLS

/*
 * No memory order inside a section: the sections order every access to the
 * counter as a lock does, which is at least as strong as every order the
 * callers ask for (docs/ordering.md).
 */
static inline int kref_atomic_read_(const kref_atomic_int *v)
{
	unsigned long state = kref_critical_enter(v);
	int val = *v;

	kref_critical_exit(v, state);
	return val;
}

static inline void kref_atomic_set_(kref_atomic_int *v, int i)
{
	unsigned long state = kref_critical_enter(v);

	*v = i;
	kref_critical_exit(v, state);
}

/* The sum is computed in unsigned and converted back, so it wraps as the
 * atomic would, without signed overflow; GCC and Clang define that
 * conversion as modulo 2^32. */
static inline int kref_atomic_fetch_add_relaxed_(kref_atomic_int *v, int i)
{
	unsigned long state = kref_critical_enter(v);
	int old = *v;

	*v = (int)((unsigned int)old + (unsigned int)i);
	kref_critical_exit(v, state);
	return old;
}

static inline bool kref_critical_cmpxchg_(kref_atomic_int *v, int *old,
					 int new_)
{
	unsigned long state = kref_critical_enter(v);
	int cur = *v;
	bool ok = cur == *old;

	if (ok)
		*v = new_;
	kref_critical_exit(v, state);
	*old = cur;
	return ok;
}

static inline int kref_atomic_read_acquire_(const kref_atomic_int *v)
{
	return kref_atomic_read_(v);
}

static inline void kref_atomic_set_release_(kref_atomic_int *v, int i)
{
	kref_atomic_set_(v, i);
}

static inline void kref_atomic_xchg_relaxed_(kref_atomic_int *v, int i)
{
	kref_atomic_set_(v, i);
}

static inline int kref_atomic_fetch_sub_release_(kref_atomic_int *v, int i)
{
	return kref_atomic_fetch_add_relaxed_(v, (int)(0u - (unsigned int)i));
}

#define KREF_DEFINE_TRY_CMPXCHG(suffix, order)				\
static inline bool kref_atomic_try_cmpxchg_##suffix##_(kref_atomic_int *v,	\
						    int *old, int new_)	\
{									\
	return kref_critical_cmpxchg_(v, old, new_);			\
}

#else /* !KREF_ATOMIC_HOOK */

#ifdef __cplusplus
typedef std::atomic<int> kref_atomic_int;
#else
typedef atomic_int kref_atomic_int;
#endif

static inline int kref_atomic_read_(const kref_atomic_int *v)
{
	return KREF_STD atomic_load_explicit(v, KREF_MO(relaxed));
}

static inline int kref_atomic_read_acquire_(const kref_atomic_int *v)
{
	return KREF_STD atomic_load_explicit(v, KREF_MO(acquire));
}

static inline void kref_atomic_set_(kref_atomic_int *v, int i)
{
	KREF_STD atomic_store_explicit(v, i, KREF_MO(relaxed));
}

static inline void kref_atomic_set_release_(kref_atomic_int *v, int i)
{
	KREF_STD atomic_store_explicit(v, i, KREF_MO(release));
}

/* A relaxed store done as an exchange: for slow paths, where Helgrind and
 * DRD would take a plain store racing an atomic RMW for a data race. */
static inline void kref_atomic_xchg_relaxed_(kref_atomic_int *v, int i)
{
	(void)KREF_STD atomic_exchange_explicit(v, i, KREF_MO(relaxed));
}

static inline int kref_atomic_fetch_add_relaxed_(kref_atomic_int *v, int i)
{
	return KREF_STD atomic_fetch_add_explicit(v, i, KREF_MO(relaxed));
}

static inline int kref_atomic_fetch_sub_release_(kref_atomic_int *v, int i)
{
	return KREF_STD atomic_fetch_sub_explicit(v, i, KREF_MO(release));
}

#define KREF_DEFINE_TRY_CMPXCHG(suffix, order)				\
static inline bool kref_atomic_try_cmpxchg_##suffix##_(kref_atomic_int *v,	\
						    int *old, int new_)	\
{									\
	return KREF_STD atomic_compare_exchange_strong_explicit(v, old, new_, \
				KREF_MO(order), KREF_MO(relaxed));	\
}

#endif /* KREF_ATOMIC_HOOK */

/*
 * Strong compare-and-swap, as the kernel's atomic_try_cmpxchg(): fails only
 * if *v != *old, and then stores the current value in *old.  A failure
 * orders nothing (with the hook, every access is ordered).
 */
KREF_DEFINE_TRY_CMPXCHG(relaxed, relaxed)
KREF_DEFINE_TRY_CMPXCHG(acquire, acquire)
KREF_DEFINE_TRY_CMPXCHG(release, release)
KREF_DEFINE_TRY_CMPXCHG(acq_rel, acq_rel)
#undef KREF_DEFINE_TRY_CMPXCHG

#endif /* KREF_ATOMIC_H */
