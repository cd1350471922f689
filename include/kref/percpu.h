/* SPDX-License-Identifier: MIT */
/*
 * kref/percpu.h - percpu_ref: a reference count that scales, with the
 * kernel's names and semantics.
 *
 * While the owner keeps the object alive, gets and puts add to a counter
 * of the CPU they run on: no cache line is shared between CPUs.  When the
 * owner kills the ref, it switches to one atomic counter, and the last put
 * after that calls release().  docs/percpu.md has the design.
 *
 * Per-CPU mode needs an architecture with a file in kref/arch/ (x86-64,
 * aarch64), glibc's restartable sequences (glibc 2.35 or later registers
 * one for every thread; nothing to do in your threads) and membarrier's
 * RSEQ command (Linux 5.10 or later).  Without them every ref stays in
 * atomic mode: correct, not scalable; percpu_ref_percpu_available() tells
 * which.  KREF_PERCPU=0 in the environment forces atomic mode.
 *
 * Memory: the per-CPU counters of many refs are packed together, 8 bytes
 * per CPU per ref, in chunks whose part for each CPU is a separate page
 * (docs/percpu.md).  The counted CPUs are the configured ones, or
 * KREF_PERCPU_CPUS from the environment (1 to 4096, else reported and
 * ignored; a CPU numbered past them uses the atomic counter).
 *
 * Gets, puts and trygets are async-signal-safe; the switches, kill,
 * resurrect, init and exit are not.  fork() waits only for libkref's own
 * short critical sections, never for a confirmation, a release() or a lock
 * of the program, and the child may use every call: a switch another
 * thread was confirming is over there, without its confirmation
 * (docs/percpu.md).
 */
#ifndef KREF_PERCPU_H
#define KREF_PERCPU_H

#include <stddef.h>
#include <kref/atomic.h>
#include <kref/compiler.h>

KREF_BEGIN_DECLS

struct percpu_ref;
typedef void (percpu_ref_func_t)(struct percpu_ref *);

/* Flags for percpu_ref_init(). */
enum {
	PERCPU_REF_INIT_ATOMIC	= 1 << 0,	/* start in atomic mode */
	PERCPU_REF_INIT_DEAD	= 1 << 1,	/* start dead, count 0 */
	/* may go back to per-CPU mode after a switch to atomic mode or a
	 * kill (implied by the two above); without it the first switch to
	 * atomic mode frees the per-CPU counters, for good */
	PERCPU_REF_ALLOW_REINIT	= 1 << 2,
};

/*
 * Not API: the state behind a percpu_ref, allocated by percpu_ref_init.
 * The count is unsigned: while a switch to atomic mode is under way it
 * holds the bias, 2^(BITS_PER_LONG - 1), and puts and trygets on it cross
 * from there to one below and back; all of its arithmetic wraps, none is
 * signed.  Read as a long, it is the number of references.
 */
struct percpu_ref_data {
	kref_atomic_ulong count;	/* atomic mode's count (+ a bias) */
	percpu_ref_func_t *release;
	void *chunk;		/* the per-CPU counters' allocation */
	bool force_atomic;
	bool allow_reinit;
	bool percpu_done;	/* went atomic without allow_reinit: for good */
};

/**
 * struct percpu_ref - a per-CPU reference count
 * @percpu_count_ptr: the per-CPU counters' address, with
 *	__PERCPU_REF_ATOMIC and __PERCPU_REF_DEAD in its low bits; the fast
 *	path reads nothing else.
 * @data: the rest, out of the fast path's way.
 */
struct percpu_ref {
	kref_atomic_ulong percpu_count_ptr;
	struct percpu_ref_data *data;
};

#define __PERCPU_REF_ATOMIC	1UL
#define __PERCPU_REF_DEAD	2UL
#define __PERCPU_REF_ATOMIC_DEAD (__PERCPU_REF_ATOMIC | __PERCPU_REF_DEAD)
#define __PERCPU_REF_FLAG_BITS	2

/*
 * Not API: where the per-CPU counters are.  A ref's counter for CPU c is
 * at its counter pointer + (c << KREF_PERCPU_UNIT_SHIFT_), for c below
 * percpu_ref_nr_cpus_ (0 while per-CPU mode is unavailable).
 */
#define KREF_PERCPU_UNIT_SHIFT_	12
extern unsigned int percpu_ref_nr_cpus_;

KREF_END_DECLS

/* One architecture's assembly per file: percpu_ref_arch_add_(); the
 * contract and the fallback in kref/arch/generic.h. */
#if defined(__x86_64__) && defined(__LP64__)	/* not x32 */
#include <kref/arch/x86_64.h>
#elif defined(__aarch64__) && defined(__LP64__)	/* not ILP32 */
#include <kref/arch/aarch64.h>
#else
#include <kref/arch/generic.h>
#endif

KREF_BEGIN_DECLS

/**
 * percpu_ref_init - initialise a percpu_ref
 * @ref: the percpu_ref to initialise
 * @release: called once, by the put that drops the last reference after
 *	the ref was killed.
 * @flags: PERCPU_REF_INIT_ATOMIC, PERCPU_REF_INIT_DEAD, PERCPU_REF_ALLOW_REINIT.
 *
 * Starts with one reference (none with PERCPU_REF_INIT_DEAD), in per-CPU
 * mode unless a flag says otherwise or per-CPU mode is unavailable.
 * Ordering: none; publish @ref as any initialised object (docs/ordering.md).
 *
 * Return: 0, or -ENOMEM.
 */
int percpu_ref_init(struct percpu_ref *ref, percpu_ref_func_t *release,
		    unsigned int flags);

/**
 * percpu_ref_exit - free what percpu_ref_init allocated; the ref is dead after
 * @ref: the percpu_ref; every get and put on it must be over
 *
 * A ref still in per-CPU mode is first switched out of it (the flag and the
 * membarriers of a switch, docs/ordering.md) so that no get or put adds to
 * counters being freed.  The count is kept for percpu_ref_is_zero(), which
 * may run meanwhile, as in the kernel.  Calling it again does nothing.
 */
void percpu_ref_exit(struct percpu_ref *ref);

/**
 * percpu_ref_switch_to_atomic - switch to atomic mode and stay there
 * @ref: the percpu_ref
 * @confirm_switch: called once the switch is visible to every CPU; may be
 *	NULL.
 *
 * Synchronous here (the kernel's may return before): @confirm_switch has
 * run when it returns.  It runs with no lock held, as the kernel's (an
 * RCU callback) does: it may switch or kill this ref, and switch, kill or
 * exit another.  Another thread's switch of this ref waits for it.
 *
 * Sticky until percpu_ref_switch_to_percpu(), and for good without
 * PERCPU_REF_ALLOW_REINIT (the per-CPU counters are freed, as in the
 * kernel; unlike the kernel's, the ref is not marked dead).
 *
 * A count of 0 or less after the switch (more puts than gets in per-CPU
 * mode) is reported with the kernel's text, and the count is saturated: the
 * object leaks rather than being released under a holder.
 *
 * Ordering: every get and put done in per-CPU mode happens before the sum
 * (the mode flag's seq_cst RMW and two membarriers, docs/ordering.md).
 */
void percpu_ref_switch_to_atomic(struct percpu_ref *ref,
				 percpu_ref_func_t *confirm_switch);

/**
 * percpu_ref_switch_to_atomic_sync - switch to atomic mode and wait for it
 * @ref: the percpu_ref
 *
 * percpu_ref_switch_to_atomic() without a callback: the switch is complete
 * on every CPU when it returns.  Ordering as percpu_ref_switch_to_atomic().
 */
void percpu_ref_switch_to_atomic_sync(struct percpu_ref *ref);

/**
 * percpu_ref_switch_to_percpu - back to per-CPU mode
 * @ref: the percpu_ref
 *
 * Takes effect unless the ref is dying (then on percpu_ref_reinit) or
 * per-CPU mode is unavailable.  A ref without PERCPU_REF_ALLOW_REINIT that
 * has been in atomic mode stays there, and that is reported (the kernel
 * warns, or stops with BUG()).  Ordering: the gets and puts done in
 * per-CPU mode from then on are ordered by the next switch to atomic mode
 * (docs/ordering.md).
 */
void percpu_ref_switch_to_percpu(struct percpu_ref *ref);

/**
 * percpu_ref_kill_and_confirm - drop the initial reference and kill the ref
 * @ref: the percpu_ref
 * @confirm_kill: called once every CPU sees the ref as dead: from then on
 *	percpu_ref_tryget_live() fails everywhere.
 *
 * Switches to atomic mode, then puts the initial reference; the last put
 * calls release().  Killing twice is a bug, reported with the kernel's text;
 * the second kill puts nothing (the kernel's puts the initial reference
 * again), and calls @confirm_kill.  @confirm_kill may be NULL.
 *
 * Ordering: as percpu_ref_switch_to_atomic(), then the put's: release, and
 * acquire before release() runs.
 */
void percpu_ref_kill_and_confirm(struct percpu_ref *ref,
				 percpu_ref_func_t *confirm_kill);

/**
 * percpu_ref_resurrect - undo a kill that has not released the object
 * @ref: the percpu_ref
 *
 * The ref must be dead and still hold references.  Takes back the
 * reference the kill dropped and returns to per-CPU mode if allowed.  On a
 * ref that is not dead it is reported and does nothing (the kernel's takes
 * a reference nobody will put).  Ordering: the get is relaxed, as
 * percpu_ref_get().
 */
void percpu_ref_resurrect(struct percpu_ref *ref);

/**
 * percpu_ref_reinit - percpu_ref_resurrect() a ref whose count reached 0
 * @ref: the percpu_ref, dead and released
 *
 * Gives the ref back its one reference, the owner's, and returns to per-CPU
 * mode if allowed.  A count that is not 0 is reported, and the ref is
 * then resurrected as by percpu_ref_resurrect() (which reports a ref that
 * is not dead).  Ordering as percpu_ref_resurrect().
 */
void percpu_ref_reinit(struct percpu_ref *ref);

/**
 * percpu_ref_percpu_available - whether per-CPU mode works here
 *
 * Checked once per process (the architecture, rseq registration,
 * membarrier's RSEQ command, KREF_PERCPU=0); the answer never changes.
 *
 * Return: true if refs can be in per-CPU mode, false if every ref stays in
 * atomic mode.
 */
bool percpu_ref_percpu_available(void);

/**
 * percpu_ref_kill - percpu_ref_kill_and_confirm() without a callback
 * @ref: the percpu_ref
 *
 * Ordering as percpu_ref_kill_and_confirm().
 */
static inline void percpu_ref_kill(struct percpu_ref *ref)
{
	percpu_ref_kill_and_confirm(ref, NULL);
}

/*
 * Not API: add @delta to this CPU's counter if the ref is in per-CPU mode
 * (a put adds the two's complement of its count: the counters wrap).
 *
 * A restartable sequence (kref/arch/): it reads this CPU's number and the
 * ref's mode and adds to that CPU's counter in its last instruction.  If
 * the thread is preempted, migrated or signalled before that instruction,
 * the kernel restarts it; a mode switch restarts every sequence in flight
 * (membarrier), so none adds to a counter the switch has already summed.
 *
 * Return: false in atomic mode: the caller uses the atomic counter.
 */
static inline bool percpu_ref_add_this_cpu_(struct percpu_ref *ref,
					   unsigned long delta)
{
#ifdef KREF_PERCPU_RSEQ
	if (kref_likely(percpu_ref_arch_add_(&ref->percpu_count_ptr, delta))) {
#ifdef KREF_TSAN
		__tsan_release(ref);	/* ThreadSanitizer cannot see membarrier */
#endif
		kref_vg_happens_before(ref);	/* nor can Helgrind and DRD */
		return true;
	}
#endif
	(void)ref;
	(void)delta;
	return false;
}

/**
 * percpu_ref_get_many - take @nr references
 * @ref: the percpu_ref
 * @nr: how many references to take
 *
 * The caller must hold a reference.  Ordering: none needed, as kref_get.
 */
static inline void percpu_ref_get_many(struct percpu_ref *ref, unsigned long nr)
{
	if (kref_likely(percpu_ref_add_this_cpu_(ref, nr)))
		return;
	/* Relaxed: the caller's reference keeps the object alive. */
	KREF_STD atomic_fetch_add_explicit(&ref->data->count, nr, KREF_MO(relaxed));
}

/**
 * percpu_ref_get - take a reference; the caller must hold one
 * @ref: the percpu_ref
 *
 * Ordering: none needed, as percpu_ref_get_many().
 */
static inline void percpu_ref_get(struct percpu_ref *ref)
{
	percpu_ref_get_many(ref, 1);
}

/* Not API: the atomic count's inc_not_zero, for the trygets. */
static inline bool percpu_ref_atomic_add_unless_zero_(struct percpu_ref *ref,
						     unsigned long nr)
{
	unsigned long c = KREF_STD atomic_load_explicit(&ref->data->count,
							KREF_MO(relaxed));

	/* Relaxed, as refcount_inc_not_zero: the caller keeps the memory
	 * valid; success orders later stores by control dependency.  c + nr
	 * wraps from the bias's neighbour, as the atomic add would. */
	do {
		if (!c)
			return false;
	} while (!KREF_STD atomic_compare_exchange_weak_explicit(&ref->data->count,
			&c, c + nr, KREF_MO(relaxed), KREF_MO(relaxed)));
	return true;
}

/**
 * percpu_ref_tryget_many - take @nr references unless the count is 0
 * @ref: the percpu_ref
 * @nr: how many references to take
 *
 * Succeeds on a killed ref that still has references.  Ordering: none, as
 * refcount_inc_not_zero(): the caller keeps the memory valid.
 *
 * Return: true if the references were taken.
 */
static inline KREF_MUST_CHECK bool
percpu_ref_tryget_many(struct percpu_ref *ref, unsigned long nr)
{
	if (kref_likely(percpu_ref_add_this_cpu_(ref, nr)))
		return true;
	return percpu_ref_atomic_add_unless_zero_(ref, nr);
}

/**
 * percpu_ref_tryget - percpu_ref_tryget_many(@ref, 1)
 * @ref: the percpu_ref
 *
 * Ordering: none, as percpu_ref_tryget_many().
 *
 * Return: true if a reference was taken, false if the count was 0.
 */
static inline KREF_MUST_CHECK bool percpu_ref_tryget(struct percpu_ref *ref)
{
	return percpu_ref_tryget_many(ref, 1);
}

/**
 * percpu_ref_tryget_live - take a reference unless the ref was killed
 * @ref: the percpu_ref
 *
 * For lookups: once percpu_ref_kill_and_confirm()'s callback has run, this
 * fails on every thread.  Ordering: none, as percpu_ref_tryget_many().
 *
 * Return: true if a reference was taken.
 */
static inline KREF_MUST_CHECK bool percpu_ref_tryget_live(struct percpu_ref *ref)
{
	if (kref_likely(percpu_ref_add_this_cpu_(ref, 1)))
		return true;
	if (KREF_STD atomic_load_explicit(&ref->percpu_count_ptr, KREF_MO(relaxed)) &
	    __PERCPU_REF_DEAD)
		return false;
	return percpu_ref_atomic_add_unless_zero_(ref, 1);
}

/**
 * percpu_ref_tryget_live_rcu - percpu_ref_tryget_live() for a caller
 *	already inside an RCU read section
 * @ref: the percpu_ref
 *
 * The kernel's variant skips taking the RCU read lock that its fast path
 * runs under (and warns if the caller holds none).  libkref's fast path
 * needs no RCU at all, so this is percpu_ref_tryget_live(); the caller's
 * read section (liburcu, say) is still what keeps @ref's memory valid
 * during a lookup, and is not checked.
 *
 * Return: true if a reference was taken.
 */
static inline KREF_MUST_CHECK bool percpu_ref_tryget_live_rcu(struct percpu_ref *ref)
{
	return percpu_ref_tryget_live(ref);
}

/**
 * percpu_ref_put_many - drop @nr references
 * @ref: the percpu_ref
 * @nr: how many references to drop
 *
 * In atomic mode the put that reaches 0 calls release().  Ordering: as
 * refcount_sub_and_test(): release, and acquire before release().  Puts in
 * per-CPU mode are ordered before release() by the switch (membarrier).
 */
static inline void percpu_ref_put_many(struct percpu_ref *ref, unsigned long nr)
{
	unsigned long old;

	if (kref_likely(percpu_ref_add_this_cpu_(ref, 0UL - nr)))
		return;
	kref_vg_happens_before(ref);
	/* Release: our accesses happen before whoever releases. */
	old = KREF_STD atomic_fetch_sub_explicit(&ref->data->count, nr,
						KREF_MO(release));
	if (old == nr) {
		/* Acquire as a load, visible to ThreadSanitizer (refcount.h). */
		(void)KREF_STD atomic_load_explicit(&ref->data->count,
						    KREF_MO(acquire));
		kref_vg_happens_after(ref);
		ref->data->release(ref);
	}
}

/**
 * percpu_ref_put - drop a reference
 * @ref: the percpu_ref
 *
 * Ordering as percpu_ref_put_many().
 */
static inline void percpu_ref_put(struct percpu_ref *ref)
{
	percpu_ref_put_many(ref, 1);
}

/**
 * percpu_ref_is_dying - whether the ref was killed (racy unless serialised)
 * @ref: the percpu_ref
 *
 * Ordering: none (a relaxed load).
 *
 * Return: true once percpu_ref_kill() (or _and_confirm()) has marked @ref
 * dead, or if it was initialised with PERCPU_REF_INIT_DEAD, until
 * percpu_ref_resurrect() or percpu_ref_reinit(); true after
 * percpu_ref_exit().
 */
static inline bool percpu_ref_is_dying(struct percpu_ref *ref)
{
	return KREF_STD atomic_load_explicit(&ref->percpu_count_ptr,
					     KREF_MO(relaxed)) & __PERCPU_REF_DEAD;
}

/**
 * percpu_ref_is_zero - whether the count is 0
 * @ref: the percpu_ref
 *
 * May run while another thread exits the ref, as the kernel's may (both
 * take the switch lock).  Ordering: none (a relaxed snapshot of the count).
 *
 * Return: true if the count is 0 (in atomic mode, or after
 * percpu_ref_exit(), which keeps the count); false otherwise, and always
 * false in per-CPU mode (the count is not known there).
 */
bool percpu_ref_is_zero(struct percpu_ref *ref);

KREF_END_DECLS

#endif /* KREF_PERCPU_H */
