/* SPDX-License-Identifier: MIT */
/*
 * kref/rcuref.h - rcuref_t: a reference count for objects found under RCU
 * and freed only after a grace period, with the kernel's names and
 * semantics.  Get and put are each one atomic add; only the last put and
 * misuse take the slow path, and a dead object is never resurrected.
 *
 * The 32-bit counter holds (references - 1), read as unsigned:
 *
 *   0x00000000 .. 0x7FFFFFFF   1 .. 2^31 references (RCUREF_ONEREF ..
 *                              RCUREF_MAXREF)
 *   0x80000000 .. 0xBFFFFFFF   saturated: leaked, never released
 *                              (reset to RCUREF_SATURATED, the middle)
 *   0xC0000000 .. 0xFFFFFFFE   released: gets fail (reset to RCUREF_DEAD)
 *   0xFFFFFFFF                 RCUREF_NOREF: the last reference was just
 *                              put; the putter's compare-and-swap to DEAD
 *                              decides, and a get that comes first wins
 *
 * Limits.  A get or put in flight moves the counter by one before its slow
 * path puts it back in the middle of its zone, so a zone is only left if
 * 2^29 operations on one object are in flight at once: one per thread at
 * most, far beyond any real thread count.  Between a last put's decrement
 * and its compare-and-swap, a get may take the count from NOREF back to
 * one reference; the put then fails and the object lives on, as in the
 * kernel.  The kernel keeps that window short by disabling preemption; in
 * user space the putting thread can be preempted there for as long as the
 * scheduler likes.  That delays the release, never breaks it: whoever
 * holds the last reference then releases it.
 *
 * Freestanding, like kref/refcount.h; the slow paths are in libkref.
 */
#ifndef KREF_RCUREF_H
#define KREF_RCUREF_H

#include <kref/atomic.h>
#include <kref/compiler.h>

KREF_BEGIN_DECLS

typedef struct {
	kref_atomic_int refcnt;
} rcuref_t;

#define RCUREF_ONEREF		0x00000000U
#define RCUREF_MAXREF		0x7FFFFFFFU
#define RCUREF_SATURATED	0xA0000000U
#define RCUREF_RELEASED		0xC0000000U
#define RCUREF_DEAD		0xE0000000U
#define RCUREF_NOREF		0xFFFFFFFFU

#define RCUREF_INIT(i)		{ (int)((unsigned int)(i) - 1u) }

/*
 * Not API: the slow paths of rcuref_get() and rcuref_put() (src/rcuref.c),
 * exported only because the inline fast paths call them; docs/parity.md
 * says how they differ from the kernel's.  @cnt is the value the fast
 * path's add produced, outside 0 .. RCUREF_MAXREF.  They return what
 * rcuref_get() and rcuref_put() return.
 */
bool rcuref_get_slowpath(rcuref_t *ref, unsigned int cnt);
bool rcuref_put_slowpath(rcuref_t *ref, unsigned int cnt);

/**
 * rcuref_init - initialise a reference count to @cnt references
 * @ref: the rcuref_t
 * @cnt: the number of references to start with (normally 1)
 *
 * Relaxed: before the object is published.
 */
static inline void rcuref_init(rcuref_t *ref, unsigned int cnt)
{
	kref_atomic_set_(&ref->refcnt, (int)(cnt - 1u));
}

/**
 * rcuref_read - the number of references held
 * @ref: the rcuref_t
 *
 * Ordering: none (a relaxed load).
 *
 * Return: 0 for a released object, else the count (racy, for diagnostics).
 * Also 0 at RCUREF_NOREF, while a last put is deciding: rcuref_is_dead()
 * tells the two apart.
 */
static inline unsigned int rcuref_read(const rcuref_t *ref)
{
	unsigned int c = (unsigned int)kref_atomic_read_(&ref->refcnt);

	return c >= RCUREF_RELEASED ? 0 : c + 1;
}

/**
 * rcuref_is_dead - whether the object was released
 * @ref: the rcuref_t
 *
 * True once a put has returned true: the counter is in the released zone,
 * RCUREF_RELEASED up to but not including RCUREF_NOREF.  False while the
 * object is live or saturated, and at RCUREF_NOREF, where the last put has
 * not swapped the counter to RCUREF_DEAD yet and a get may still win.
 * Ordering: none (a relaxed read).  A true answer stays true (gets and
 * puts on a dead object leave it dead) until rcuref_init(); a false one may
 * be overtaken by a put at any moment.
 *
 * Return: true if the object was released and may be freed after a grace
 * period.
 */
static inline bool rcuref_is_dead(const rcuref_t *ref)
{
	unsigned int c = (unsigned int)kref_atomic_read_(&ref->refcnt);

	return c >= RCUREF_RELEASED && c < RCUREF_NOREF;
}

/**
 * rcuref_get - take a reference unless the object is dead
 * @ref: the rcuref_t
 *
 * Call it under rcu_read_lock() (or holding a reference); the object's
 * memory must stay valid for a grace period after its release.  One atomic
 * add, no compare-and-swap loop.  Ordering: none, like
 * refcount_inc_not_zero(); the RCU read section keeps the memory stable.
 *
 * Return: true if a reference was taken, false if the object is dead.
 * Saturation is reported and still returns true (the object then leaks).
 */
static inline KREF_MUST_CHECK bool rcuref_get(rcuref_t *ref)
{
	/* Relaxed: a reference needs no ordering; see above. */
	unsigned int cnt = (unsigned int)kref_atomic_fetch_add_relaxed_(&ref->refcnt, 1) + 1u;

	if (kref_likely(cnt <= RCUREF_MAXREF))
		return true;
	return rcuref_get_slowpath(ref, cnt);
}

/**
 * rcuref_put - drop a reference
 * @ref: the rcuref_t
 *
 * Ordering: release, and acquire when it returns true, as
 * refcount_dec_and_test().
 *
 * Return: true if this was the last reference: the caller unpublishes the
 * object and frees it after a grace period (call_rcu).  An imbalanced put
 * on a dead object is reported and returns false.
 */
static inline KREF_MUST_CHECK bool rcuref_put(rcuref_t *ref)
{
	unsigned int cnt;

	kref_vg_happens_before(ref);
	/* Release: our accesses happen before whoever frees the object. */
	cnt = (unsigned int)kref_atomic_fetch_sub_release_(&ref->refcnt, 1) - 1u;
	if (kref_likely(cnt <= RCUREF_MAXREF))
		return false;
	if (!rcuref_put_slowpath(ref, cnt))
		return false;
	kref_vg_happens_after(ref);
	return true;
}

/**
 * rcuref_put_rcusafe - rcuref_put() for callers inside an RCU read section
 * @ref: the rcuref_t
 *
 * The kernel's variant skips disabling preemption; user space never
 * disables it, so this is rcuref_put(), with its ordering.
 *
 * Return: as rcuref_put().
 */
static inline KREF_MUST_CHECK bool rcuref_put_rcusafe(rcuref_t *ref)
{
	return rcuref_put(ref);
}

KREF_END_DECLS

#endif /* KREF_RCUREF_H */
