/* SPDX-License-Identifier: MIT */
/*
 * kref/refcount.h - refcount_t, an atomic int specialised for reference
 * counts, with the Linux kernel's names and semantics.
 *
 * Saturation: the counter never wraps.  Overflow, an increment from 0, a
 * decrement below 0 or to 0 by refcount_dec(), and any decrement or increment
 * of a saturated counter leave it at REFCOUNT_SATURATED (INT_MIN / 2) and are
 * reported through refcount_warn_saturate().  A saturated object is leaked,
 * never freed early or twice.  The counter may briefly hold a value next to
 * REFCOUNT_SATURATED before the report puts it back; it is half the int
 * range away from both 0 and REFCOUNT_MAX, and an add or sub moves it by
 * at most REFCOUNT_XADD_LIMIT_ (larger amounts take a compare-and-swap
 * that never stores an out-of-range value), so racing operations cannot
 * bring it back to a live value.
 *
 * Out-of-contract amounts: @i of the add and sub family must be at least 1.
 * @i == 0 behaves as the kernel's (nothing changes on a live count; on a
 * count of 0 or a saturated one it is reported as any add or sub would be);
 * a negative @i is always reported and saturates, so no amount can make a
 * put return true on a count that was not positive, revive a saturated
 * counter or leave a negative live count.  docs/semantics.md has the table.
 *
 * Ordering, as the kernel documents it (each choice is argued at its site):
 * increments are relaxed, decrements are release, and a decrement that
 * returns true (the caller will free) is also acquire.
 *
 * The __refcount_*() forms take an extra @oldp: if it is not NULL, it
 * receives the counter's value just before the operation, as the kernel's
 * do.  They are the same operations; the plain names call them with NULL,
 * which the compiler folds away.
 *
 * Freestanding: needs only <limits.h>, <stddef.h>, <stdbool.h> and the C11
 * atomics.
 */
#ifndef KREF_REFCOUNT_H
#define KREF_REFCOUNT_H

#include <limits.h>
#include <stddef.h>
#include <kref/atomic.h>
#include <kref/compiler.h>

KREF_BEGIN_DECLS

/**
 * refcount_t - variant of an atomic int specialised for reference counts
 * @refs: the counter; use the functions below, never the field.
 */
typedef struct refcount_struct {
	kref_atomic_int refs;
} refcount_t;

#define REFCOUNT_INIT(n)	{ (n) }
#define REFCOUNT_MAX		INT_MAX
#define REFCOUNT_SATURATED	(INT_MIN / 2)

/* What refcount_warn_saturate() is reporting. */
enum refcount_saturation_type {
	REFCOUNT_ADD_NOT_ZERO_OVF,	/* add_not_zero overflowed or hit a saturated counter */
	REFCOUNT_ADD_OVF,		/* add overflowed or hit a saturated counter */
	REFCOUNT_ADD_UAF,		/* add on 0: the object is being freed */
	REFCOUNT_SUB_UAF,		/* sub below 0, or on a saturated counter */
	REFCOUNT_DEC_LEAK,		/* refcount_dec() dropped the last reference */
};

typedef void (*refcount_warn_handler_t)(refcount_t *r,
					enum refcount_saturation_type t);

/**
 * refcount_warn_saturate - saturate @r and report event @t
 * @r: the refcount that was misused
 * @t: what happened (enum refcount_saturation_type)
 *
 * Called by the inline operations on misuse; sets @r to REFCOUNT_SATURATED,
 * then calls the installed handler (refcount_set_warn_handler()).  Out of
 * line and cold.  Ordering: the store of REFCOUNT_SATURATED is relaxed; a
 * saturated object is leaked, so nothing needs to be ordered after it.
 */
KREF_COLD void refcount_warn_saturate(refcount_t *r,
				      enum refcount_saturation_type t);

/**
 * refcount_set_warn_handler - choose what happens on a saturation event
 * @fn: called with the counter (already saturated) and the event type;
 *	NULL restores refcount_warn_default.
 *
 * The handler may run on any thread, concurrently with itself.  Under
 * KREF_DEBUG it runs with debug-mode locks held: it must not call kref or
 * refcount operations.
 *
 * Ordering: acquire and release: whatever the caller set up for @fn before
 * this call is visible to every thread that later calls @fn.
 *
 * Return: the previous handler (refcount_warn_default if none was set), so
 * a handler can chain to it and a test can put it back.
 */
refcount_warn_handler_t refcount_set_warn_handler(refcount_warn_handler_t fn);

/**
 * refcount_warn_default - the default handler
 * @r: the refcount, already saturated
 * @t: the event, which selects the text
 *
 * Prints the kernel's text for @t ("refcount_t: addition on 0;
 * use-after-free.") to stderr once per event type per process (under
 * KREF_DEBUG, once per event type and call site, naming the site), followed
 * by a backtrace of the caller.  If the environment variable KREF_ABORT is set
 * to anything but "" or "0", it then calls abort().  Ordering: none (it
 * does not touch @r's count).
 */
void refcount_warn_default(refcount_t *r, enum refcount_saturation_type t);

/**
 * refcount_set - set a refcount's value
 * @r: the refcount
 * @n: the value to set
 *
 * Relaxed: a plain store, like the kernel's.  Use it only while no other
 * thread can see @r, or to publish with a later release.
 */
static inline void refcount_set(refcount_t *r, int n)
{
	kref_atomic_set_(&r->refs, n);
}

/**
 * refcount_set_release - set a refcount's value with release ordering
 * @r: the refcount
 * @n: the value to set
 *
 * For objects that are reused without a grace period: everything written to
 * the object before this is visible to whoever's refcount_inc_not_zero_acquire()
 * reads the new value.
 */
static inline void refcount_set_release(refcount_t *r, int n)
{
	kref_atomic_set_release_(&r->refs, n);
}

/**
 * refcount_read - get a refcount's value
 * @r: the refcount
 *
 * Return: the count, as the kernel returns it (unsigned int); a saturated
 * counter reads as (unsigned int)REFCOUNT_SATURATED.  Relaxed.
 */
static inline unsigned int refcount_read(const refcount_t *r)
{
	return (unsigned int)kref_atomic_read_(&r->refs);
}

/*
 * Not API.  True when @old >= 1, @i >= 0 and @old + @i <= REFCOUNT_MAX.
 * One unsigned compare for the counter, since old - 1 wraps to a large
 * number for every old <= 0; the test of @i folds away for a constant.
 */
static inline bool refcount_can_add_(int old, int i)
{
	return i >= 0 &&
	       (unsigned int)old - 1u < (unsigned int)INT_MAX - (unsigned int)i;
}

/*
 * Not API: the common body of the add_not_zero flavours.  One compare per
 * try: 0 fails, overflow or a saturated counter saturates and reports (the
 * kernel's outcome, without first storing the overflowed value).  *@oldp,
 * if asked for, is the value the decision was made on.
 */
static inline bool refcount_add_not_zero_ordered_(int i, refcount_t *r,
						 int *oldp, bool acquire)
{
	int old = kref_atomic_read_(&r->refs);

	do {
		if (kref_unlikely(!refcount_can_add_(old, i))) {
			if (oldp)
				*oldp = old;
			/* 0 fails quietly, unless @i is out of contract. */
			if (old || i < 0)
				refcount_warn_saturate(r, REFCOUNT_ADD_NOT_ZERO_OVF);
			return old != 0;
		}
	} while (!(acquire ?
		   kref_atomic_try_cmpxchg_acquire_(&r->refs, &old, old + i) :
		   kref_atomic_try_cmpxchg_relaxed_(&r->refs, &old, old + i)));
	if (oldp)
		*oldp = old;
	return true;
}

/**
 * __refcount_add_not_zero - refcount_add_not_zero(), reporting the old value
 * @i: the value to add (at least 1)
 * @r: the refcount
 * @oldp: if not NULL, receives the count before the operation: 0 when
 *	nothing was added, the live count otherwise, or the value that made
 *	it saturate.
 *
 * Ordering: none, as refcount_add_not_zero().
 *
 * Return: false if the count was 0, true otherwise.
 */
static inline KREF_MUST_CHECK bool
__refcount_add_not_zero(int i, refcount_t *r, int *oldp)
{
	return refcount_add_not_zero_ordered_(i, r, oldp, false);
}

/**
 * __refcount_add_not_zero_acquire - refcount_add_not_zero_acquire(),
 *	reporting the old value
 * @i: the value to add (at least 1)
 * @r: the refcount
 * @oldp: if not NULL, receives the count before the operation.
 *
 * Ordering: acquire on success, as refcount_add_not_zero_acquire().
 *
 * Return: false if the count was 0, true otherwise.
 */
static inline KREF_MUST_CHECK bool
__refcount_add_not_zero_acquire(int i, refcount_t *r, int *oldp)
{
	return refcount_add_not_zero_ordered_(i, r, oldp, true);
}

/**
 * __refcount_inc_not_zero - refcount_inc_not_zero(), reporting the old value
 * @r: the refcount
 * @oldp: if not NULL, receives the count before the operation.
 *
 * Return: true if the increment was done, false if the count was 0.
 */
static inline KREF_MUST_CHECK bool __refcount_inc_not_zero(refcount_t *r,
							   int *oldp)
{
	return __refcount_add_not_zero(1, r, oldp);
}

/**
 * __refcount_inc_not_zero_acquire - refcount_inc_not_zero_acquire(),
 *	reporting the old value
 * @r: the refcount
 * @oldp: if not NULL, receives the count before the operation.
 *
 * Return: true if the increment was done, false if the count was 0.
 */
static inline KREF_MUST_CHECK bool
__refcount_inc_not_zero_acquire(refcount_t *r, int *oldp)
{
	return __refcount_add_not_zero_acquire(1, r, oldp);
}

/**
 * refcount_add_not_zero - add a value to a refcount unless it is 0
 * @i: the value to add (at least 1)
 * @r: the refcount
 *
 * Saturates and reports REFCOUNT_ADD_NOT_ZERO_OVF on overflow, on a
 * saturated counter or for a negative @i (then even at 0, as the kernel).
 *
 * Ordering: none.  The caller keeps the memory stable (a lock or RCU)
 * while it has no reference; the successful compare-and-swap is a control
 * dependency that orders the caller's later stores, as in the kernel.
 *
 * Return: false if the count was 0 (nothing changed), true otherwise.
 */
static inline KREF_MUST_CHECK bool refcount_add_not_zero(int i, refcount_t *r)
{
	return __refcount_add_not_zero(i, r, NULL);
}

/**
 * refcount_add_not_zero_acquire - refcount_add_not_zero() with acquire
 * @i: the value to add (at least 1)
 * @r: the refcount
 *
 * Misuse is reported as by refcount_add_not_zero().  Acquire on success:
 * pairs with refcount_set_release() when an object's memory is reused for
 * a new object without a grace period, so the caller sees the new object's
 * fields initialised.
 *
 * Return: false if the count was 0, true otherwise.
 */
static inline KREF_MUST_CHECK bool
refcount_add_not_zero_acquire(int i, refcount_t *r)
{
	return __refcount_add_not_zero_acquire(i, r, NULL);
}

/**
 * refcount_inc_not_zero - increment a refcount unless it is 0
 * @r: the refcount
 *
 * The way to take a reference when you hold none yet (Rule 3): under the
 * lock or RCU read section that keeps the memory stable.  Ordering: none,
 * as refcount_add_not_zero().
 *
 * Return: true if the increment was done, false if the count was 0.
 */
static inline KREF_MUST_CHECK bool refcount_inc_not_zero(refcount_t *r)
{
	return __refcount_inc_not_zero(r, NULL);
}

/**
 * refcount_inc_not_zero_acquire - refcount_inc_not_zero() with acquire
 * @r: the refcount
 *
 * Ordering: acquire on success, as refcount_add_not_zero_acquire(): pairs
 * with refcount_set_release() for memory reused without a grace period.
 *
 * Return: true if the increment was done, false if the count was 0.
 */
static inline KREF_MUST_CHECK bool refcount_inc_not_zero_acquire(refcount_t *r)
{
	return __refcount_inc_not_zero_acquire(r, NULL);
}

/*
 * Not API.  Amounts up to this take one atomic add; larger (or negative)
 * ones a compare-and-swap loop, so no add or sub ever moves a saturated
 * counter by more than 2^12: 2^18 threads would have to be between their
 * add and its report at once to bring it back to 0 or REFCOUNT_MAX.
 */
#define REFCOUNT_XADD_LIMIT_	4096

/* Not API: __refcount_add() for an amount above REFCOUNT_XADD_LIMIT_. */
static inline void refcount_add_cas_(int i, refcount_t *r, int *oldp)
{
	int old = kref_atomic_read_(&r->refs);

	/* Relaxed, as every add: see __refcount_add(). */
	do {
		if (!refcount_can_add_(old, i))
			break;
	} while (!kref_atomic_try_cmpxchg_relaxed_(&r->refs, &old, old + i));
	if (oldp)
		*oldp = old;
	if (!refcount_can_add_(old, i))
		refcount_warn_saturate(r, old ? REFCOUNT_ADD_OVF : REFCOUNT_ADD_UAF);
}

/**
 * __refcount_add - refcount_add(), reporting the old value
 * @i: the value to add (at least 1)
 * @r: the refcount
 * @oldp: if not NULL, receives the count before the addition.
 *
 * Misuse and ordering (relaxed) as refcount_add().
 */
static inline void __refcount_add(int i, refcount_t *r, int *oldp)
{
	int old;

	if (kref_unlikely((unsigned int)i > REFCOUNT_XADD_LIMIT_)) {
		refcount_add_cas_(i, r, oldp);
		return;
	}
	/* Relaxed: the caller's own reference keeps the object alive, so a new
	 * reference needs no ordering; the puts order what matters. */
	old = kref_atomic_fetch_add_relaxed_(&r->refs, i);

	if (oldp)
		*oldp = old;
	if (kref_unlikely(!refcount_can_add_(old, i)))
		refcount_warn_saturate(r, old ? REFCOUNT_ADD_OVF : REFCOUNT_ADD_UAF);
}

/**
 * refcount_add - add a value to a refcount
 * @i: the value to add (at least 1)
 * @r: the refcount
 *
 * The caller must already hold a reference.  Reports REFCOUNT_ADD_UAF if the
 * count was 0 and REFCOUNT_ADD_OVF on overflow, on a saturated counter or
 * for a negative @i; all saturate.  Ordering: relaxed.
 */
static inline void refcount_add(int i, refcount_t *r)
{
	__refcount_add(i, r, NULL);
}

/**
 * __refcount_inc - refcount_inc(), reporting the old value
 * @r: the refcount
 * @oldp: if not NULL, receives the count before the increment.
 *
 * Misuse and ordering (relaxed) as refcount_inc().
 */
static inline void __refcount_inc(refcount_t *r, int *oldp)
{
	__refcount_add(1, r, oldp);
}

/**
 * refcount_inc - increment a refcount
 * @r: the refcount
 *
 * The caller must already hold a reference (Rule 1: get before you hand
 * the pointer off).  Misuse is reported as by refcount_add().  Ordering:
 * relaxed.
 */
static inline void refcount_inc(refcount_t *r)
{
	__refcount_inc(r, NULL);
}

/*
 * Not API: __refcount_sub_and_test() for an amount above
 * REFCOUNT_XADD_LIMIT_.  True only from a count of exactly @i.
 */
static inline bool refcount_sub_and_test_cas_(int i, refcount_t *r, int *oldp)
{
	int old = kref_atomic_read_(&r->refs);
	bool valid;

	/* Release on success, as every put; a failed try stores nothing. */
	while ((valid = old > 0 && i >= 0 && old >= i) &&
	       !kref_atomic_try_cmpxchg_release_(&r->refs, &old, old - i))
		;
	if (oldp)
		*oldp = old;
	if (!valid) {
		refcount_warn_saturate(r, REFCOUNT_SUB_UAF);
		return false;
	}
	if (old != i)
		return false;
	/* Acquire, as in __refcount_sub_and_test(). */
	(void)kref_atomic_read_acquire_(&r->refs);
	kref_vg_happens_after(r);
	return true;
}

/**
 * __refcount_sub_and_test - refcount_sub_and_test(), reporting the old value
 * @i: the value to subtract (at least 1)
 * @r: the refcount
 * @oldp: if not NULL, receives the count before the subtraction.
 *
 * Misuse and ordering as refcount_sub_and_test().
 *
 * Return: true if the count reached 0 and the caller must free the object.
 */
static inline KREF_MUST_CHECK bool __refcount_sub_and_test(int i, refcount_t *r,
							   int *oldp)
{
	int old;

	kref_vg_happens_before(r);
	if (kref_unlikely((unsigned int)i > REFCOUNT_XADD_LIMIT_))
		return refcount_sub_and_test_cas_(i, r, oldp);
	/* Release: our accesses to the object happen before whoever frees it. */
	old = kref_atomic_fetch_sub_release_(&r->refs, i);
	if (oldp)
		*oldp = old;
	if (kref_likely(old > i && i >= 0))
		return false;
	if (old == i && old > 0) {
		/* Acquire, as a load rather than a fence so ThreadSanitizer sees
		 * it: it reads our own decrement, the end of the release
		 * sequence of every earlier put, so all of them happen before
		 * the object is freed. */
		(void)kref_atomic_read_acquire_(&r->refs);
		kref_vg_happens_after(r);
		return true;
	}
	refcount_warn_saturate(r, REFCOUNT_SUB_UAF);
	return false;
}

/**
 * refcount_sub_and_test - subtract from a refcount and test if it is 0
 * @i: the value to subtract (at least 1)
 * @r: the refcount
 *
 * Reports REFCOUNT_SUB_UAF (and saturates) if the count was not positive
 * (0 or saturated), would go below 0, or @i is negative; then it returns
 * false, so a dead object is never released twice.
 *
 * Ordering: release, and acquire when it returns true, so every access made
 * under any reference happens before the caller frees the object.
 *
 * Return: true if the count reached 0 and the caller must free the object.
 */
static inline KREF_MUST_CHECK bool refcount_sub_and_test(int i, refcount_t *r)
{
	return __refcount_sub_and_test(i, r, NULL);
}

/**
 * __refcount_dec_and_test - refcount_dec_and_test(), reporting the old value
 * @r: the refcount
 * @oldp: if not NULL, receives the count before the decrement.
 *
 * Misuse and ordering as refcount_dec_and_test().
 *
 * Return: true if this dropped the last reference: free the object.
 */
static inline KREF_MUST_CHECK bool __refcount_dec_and_test(refcount_t *r,
							   int *oldp)
{
	return __refcount_sub_and_test(1, r, oldp);
}

/**
 * refcount_dec_and_test - decrement a refcount and test if it is 0
 * @r: the refcount
 *
 * Ordering and misuse as refcount_sub_and_test().
 *
 * Return: true if this dropped the last reference: free the object.
 */
static inline KREF_MUST_CHECK bool refcount_dec_and_test(refcount_t *r)
{
	return __refcount_dec_and_test(r, NULL);
}

/**
 * __refcount_dec - refcount_dec(), reporting the old value
 * @r: the refcount
 * @oldp: if not NULL, receives the count before the decrement.
 *
 * Misuse and ordering (release) as refcount_dec().
 */
static inline void __refcount_dec(refcount_t *r, int *oldp)
{
	/* Release, as every put: this never frees, so it needs no acquire. */
	int old = kref_atomic_fetch_sub_release_(&r->refs, 1);

	if (oldp)
		*oldp = old;
	if (kref_unlikely(old <= 1))
		refcount_warn_saturate(r, REFCOUNT_DEC_LEAK);
}

/**
 * refcount_dec - decrement a refcount that must not reach 0
 * @r: the refcount
 *
 * For references that are known not to be the last.  Reaching 0 (or
 * decrementing a counter at 0 or saturated) reports REFCOUNT_DEC_LEAK and
 * saturates: nobody will free the object, so it leaks.  Ordering: release.
 */
static inline void refcount_dec(refcount_t *r)
{
	__refcount_dec(r, NULL);
}

/**
 * refcount_dec_if_one - decrement a refcount if it is 1
 * @r: the refcount
 *
 * For "is this the last user?" decisions, such as tearing down an object
 * only if nobody else holds it.  A saturated counter is left as it is.
 *
 * Ordering: release, as the kernel documents, and acquire as well on
 * success, so that a caller who frees the object after a true return is
 * ordered after every earlier put.
 *
 * Return: true if the count went from 1 to 0.
 */
static inline KREF_MUST_CHECK bool refcount_dec_if_one(refcount_t *r)
{
	int one = 1;

	kref_vg_happens_before(r);
	/* acq_rel on success, relaxed on failure: see above. */
	if (!kref_atomic_try_cmpxchg_acq_rel_(&r->refs, &one, 0))
		return false;
	kref_vg_happens_after(r);
	return true;
}

/**
 * refcount_dec_not_one - decrement a refcount if it is not 1
 * @r: the refcount
 *
 * The building block of refcount_dec_and_mutex_lock(): drops a reference
 * that is not the last one without taking the lock.  A counter at
 * REFCOUNT_SATURATED stays so, unreported, as in the kernel.  A count of 0
 * (or another non-positive value) reports REFCOUNT_SUB_UAF, as the kernel
 * does, and saturates, which the kernel does not: the object is leaked, not
 * left at a count a later get would take for live.
 *
 * Ordering: release, as every put.
 *
 * Return: false if the count was 1 (nothing changed), true otherwise.
 */
static inline KREF_MUST_CHECK bool refcount_dec_not_one(refcount_t *r)
{
	int val = kref_atomic_read_(&r->refs);

	kref_vg_happens_before(r);
	do {
		if (val == 1)
			return false;
		if (val == REFCOUNT_SATURATED)
			return true;	/* already reported; stays leaked */
		if (kref_unlikely(val <= 0)) {
			refcount_warn_saturate(r, REFCOUNT_SUB_UAF);
			return true;
		}
		/* Release: our accesses happen before a later final put. */
	} while (!kref_atomic_try_cmpxchg_release_(&r->refs, &val, val - 1));
	return true;
}

KREF_END_DECLS

#endif /* KREF_REFCOUNT_H */
