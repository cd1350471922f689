/* SPDX-License-Identifier: MIT */
/*
 * kref/debug.h - debug mode: compile with -DKREF_DEBUG and every kref
 * operation records where it was called, so a broken rule is reported with
 * the line that broke it, the calls that led there, and the object's
 * history.  Included by <kref.h>; needs GCC or Clang (statement
 * expressions) and POSIX threads; link libkref-debug (pkg-config
 * libkref-debug), whose allocator watch tells freed memory from live.
 * docs/debug.md is the manual.
 *
 * Only objects initialised by kref_init in a unit built with KREF_DEBUG are
 * tracked; others (KREF_INIT, a unit built without it) are counted and get
 * saturation reports only.  When such an object takes the place of a
 * released tracked one (memory malloc handed out again, a reused stack
 * slot with a live count), the old record is forgotten, nothing is
 * reported.
 *
 * Without KREF_DEBUG this header is never included and nothing changes.
 */
#ifndef KREF_DEBUG_H
#define KREF_DEBUG_H

#include <pthread.h>
#include <kref/kref.h>
#include <kref/locks.h>
#include <kref/debug_site.h>

KREF_BEGIN_DECLS

/*
 * The operations behind the kref_* macros below; programs call them
 * through those macros, never by name.  Each performs the real operation,
 * so objects shared with translation units built without KREF_DEBUG are
 * counted correctly, and records it in the object's history under a lock
 * of debug mode's side table.  The exceptions: a get or a put on an
 * object whose final put was recorded is reported and not performed
 * (kref_debug_get_unless_zero() says when it is not reported).  Ordering:
 * that of the operation performed; the side table's lock adds its own.
 */

/**
 * kref_debug_init - kref_init() in debug mode
 * @kref: the object's struct kref
 * @site: where kref_init() was called (KREF_SITE)
 *
 * Sets the count to 1 and starts tracking the object.  A kref_init on an
 * object that is still referenced is reported (its references are lost).
 */
void kref_debug_init(struct kref *kref, const struct kref_site *site);

/**
 * kref_debug_get - kref_get() in debug mode
 * @kref: the object's struct kref
 * @site: where kref_get() was called
 *
 * A get after the final put is reported (use after free), with the
 * object's history, and the count is left as it is.
 */
void kref_debug_get(struct kref *kref, const struct kref_site *site);

/**
 * kref_debug_get_unless_zero - kref_get_unless_zero() in debug mode
 * @kref: the object's struct kref
 * @site: where kref_get_unless_zero() was called
 *
 * On an object whose final put was recorded it takes nothing: a lookup
 * under RCU that finds the count at 0 is correct and only recorded; one
 * on memory that was freed is reported (use after free); memory reused for
 * an untracked object forgets the old record and takes the reference.
 *
 * Return: nonzero if a reference was taken, 0 otherwise.
 */
int kref_debug_get_unless_zero(struct kref *kref, const struct kref_site *site);

/**
 * kref_debug_put - kref_put() in debug mode
 * @kref: the object's struct kref
 * @release: called once, by the put that drops the count to 0
 * @site: where kref_put() was called
 *
 * A put after the final put is reported (double put) and not performed.
 *
 * Return: 1 if @release was called, 0 otherwise.
 */
int kref_debug_put(struct kref *kref, void (*release)(struct kref *kref),
		   const struct kref_site *site);

/**
 * kref_debug_put_mutex - kref_put_mutex() in debug mode
 * @kref: the object's struct kref
 * @release: called with @mutex held; it must unlock @mutex
 * @mutex: taken only when this put may be the last
 * @site: where kref_put_mutex() was called
 *
 * A put after the final put is reported (double put) and not performed.
 *
 * Return: 1 if @release was called, 0 otherwise (with @mutex not held).
 */
int kref_debug_put_mutex(struct kref *kref, void (*release)(struct kref *kref),
			 pthread_mutex_t *mutex, const struct kref_site *site);

#ifdef KREF_HAVE_SPINLOCK
/**
 * kref_debug_put_lock - kref_put_lock() in debug mode
 * @kref: the object's struct kref
 * @release: called with @lock held; it must unlock @lock
 * @lock: taken only when this put may be the last
 * @site: where kref_put_lock() was called
 *
 * A put after the final put is reported (double put) and not performed.
 *
 * Return: 1 if @release was called, 0 otherwise (with @lock not held).
 */
int kref_debug_put_lock(struct kref *kref, void (*release)(struct kref *kref),
			pthread_spinlock_t *lock, const struct kref_site *site);
#endif

/**
 * kref_debug_report_leaks - report every tracked object still referenced
 *
 * Prints each one with its count, where it was initialised and its recent
 * history.  Runs by itself at exit; call it to check at a point of your
 * choosing (after a test, before shutdown).
 *
 * After fork(), the child reports only the objects it initialised itself:
 * those it inherited are the parent's, whose other threads hold their
 * references and whose own report covers them.  Every other check applies
 * to inherited objects as to the child's own (a double put in the child is
 * reported with the object's history).  fork() is safe in debug mode and
 * waits for nothing: what another thread was changing at the fork is set
 * aside in the child, whose objects it tracked go untracked there.
 *
 * Ordering: each object's record is read under the lock of the part of
 * debug mode's table that holds it; an object that other threads are still
 * getting and putting is reported as it was at that moment.  In a program
 * that does not link libkref-debug, libkref's stand-in reports nothing and
 * returns 0.
 *
 * Return: the number of objects reported.
 */
unsigned long kref_debug_report_leaks(void);

/*
 * Not API: registers debug mode's fork handlers and its exit-time leak
 * report.  Each unit built with KREF_DEBUG calls it before main(), so the
 * fork handlers are registered before the program's own: they then take
 * debug mode's locks after the program's (fork's prepare handlers run in
 * reverse order), the order kref_put_mutex takes them in.
 */
void kref_debug_start_(void);

static void kref_debug_start_unit_(void) __attribute__((constructor, unused));
static void kref_debug_start_unit_(void)
{
	kref_debug_start_();
}

KREF_END_DECLS

#define kref_init(k)			kref_debug_init((k), KREF_SITE)
#define kref_get(k)			kref_debug_get((k), KREF_SITE)
#define kref_get_unless_zero(k)		kref_debug_get_unless_zero((k), KREF_SITE)
#define kref_put(k, release)		kref_debug_put((k), (release), KREF_SITE)
#define kref_put_mutex(k, release, m)	kref_debug_put_mutex((k), (release), (m), KREF_SITE)
#define kref_put_lock(k, release, l)	kref_debug_put_lock((k), (release), (l), KREF_SITE)

/* A helper's caller's site (kref/kref.h): the helper's own call is named
 * where no caller passed one.  (Replacing kref/kref.h's, where this header
 * is included without KREF_DEBUG, as by libkref-debug itself.) */
#undef KREF_CALLER
#undef kref_init_at
#undef kref_get_at
#undef kref_get_unless_zero_at
#undef kref_put_at
#undef kref_put_mutex_at
#undef kref_put_lock_at
#define KREF_CALLER			KREF_SITE
#define kref_site_or_here_(site)	((site) ? (site) : KREF_SITE)
#define kref_init_at(k, site)		kref_debug_init((k), kref_site_or_here_(site))
#define kref_get_at(k, site)		kref_debug_get((k), kref_site_or_here_(site))
#define kref_get_unless_zero_at(k, site) \
	kref_debug_get_unless_zero((k), kref_site_or_here_(site))
#define kref_put_at(k, release, site) \
	kref_debug_put((k), (release), kref_site_or_here_(site))
#define kref_put_mutex_at(k, release, m, site) \
	kref_debug_put_mutex((k), (release), (m), kref_site_or_here_(site))
#define kref_put_lock_at(k, release, l, site) \
	kref_debug_put_lock((k), (release), (l), kref_site_or_here_(site))

/*
 * refcount_t operations that can saturate run with kref_debug_site set, so
 * their reports name the line.  The outermost site wins: a call made inside
 * another (refcount_dec_and_mutex_lock) keeps its caller's.
 */
#define KREF_DEBUG_AT(expr) (__extension__ ({				\
	const struct kref_site *kref_outer_ = kref_debug_site;		\
	if (!kref_outer_)						\
		kref_debug_site = KREF_SITE;				\
	__typeof__(expr) kref_ret_ = (expr);				\
	kref_debug_site = kref_outer_;					\
	kref_ret_;							\
}))
#define KREF_DEBUG_AT_VOID(expr) (__extension__ ({			\
	const struct kref_site *kref_outer_ = kref_debug_site;		\
	if (!kref_outer_)						\
		kref_debug_site = KREF_SITE;				\
	(expr);								\
	kref_debug_site = kref_outer_;					\
}))

#define refcount_add(i, r)		KREF_DEBUG_AT_VOID((refcount_add)((i), (r)))
#define refcount_inc(r)			KREF_DEBUG_AT_VOID((refcount_inc)(r))
#define refcount_dec(r)			KREF_DEBUG_AT_VOID((refcount_dec)(r))
#define refcount_add_not_zero(i, r)	KREF_DEBUG_AT((refcount_add_not_zero)((i), (r)))
#define refcount_inc_not_zero(r)	KREF_DEBUG_AT((refcount_inc_not_zero)(r))
#define refcount_add_not_zero_acquire(i, r) \
	KREF_DEBUG_AT((refcount_add_not_zero_acquire)((i), (r)))
#define refcount_inc_not_zero_acquire(r) \
	KREF_DEBUG_AT((refcount_inc_not_zero_acquire)(r))
#define refcount_sub_and_test(i, r)	KREF_DEBUG_AT((refcount_sub_and_test)((i), (r)))
#define refcount_dec_and_test(r)	KREF_DEBUG_AT((refcount_dec_and_test)(r))
#define refcount_dec_not_one(r)		KREF_DEBUG_AT((refcount_dec_not_one)(r))
#define refcount_dec_and_mutex_lock(r, m) \
	KREF_DEBUG_AT((refcount_dec_and_mutex_lock)((r), (m)))
#define refcount_dec_and_lock(r, l)	KREF_DEBUG_AT((refcount_dec_and_lock)((r), (l)))
#define __refcount_add(i, r, oldp)	KREF_DEBUG_AT_VOID((__refcount_add)((i), (r), (oldp)))
#define __refcount_inc(r, oldp)		KREF_DEBUG_AT_VOID((__refcount_inc)((r), (oldp)))
#define __refcount_dec(r, oldp)		KREF_DEBUG_AT_VOID((__refcount_dec)((r), (oldp)))
#define __refcount_add_not_zero(i, r, oldp) \
	KREF_DEBUG_AT((__refcount_add_not_zero)((i), (r), (oldp)))
#define __refcount_inc_not_zero(r, oldp) \
	KREF_DEBUG_AT((__refcount_inc_not_zero)((r), (oldp)))
#define __refcount_add_not_zero_acquire(i, r, oldp) \
	KREF_DEBUG_AT((__refcount_add_not_zero_acquire)((i), (r), (oldp)))
#define __refcount_inc_not_zero_acquire(r, oldp) \
	KREF_DEBUG_AT((__refcount_inc_not_zero_acquire)((r), (oldp)))
#define __refcount_sub_and_test(i, r, oldp) \
	KREF_DEBUG_AT((__refcount_sub_and_test)((i), (r), (oldp)))
#define __refcount_dec_and_test(r, oldp) \
	KREF_DEBUG_AT((__refcount_dec_and_test)((r), (oldp)))

#endif /* KREF_DEBUG_H */
