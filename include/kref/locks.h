/* SPDX-License-Identifier: MIT */
/*
 * kref/locks.h - dropping the last reference with a lock held.
 *
 * When lookups find an object under a lock (Rule 3), the final put must take
 * the same lock before the count reaches 0, so no lookup can find a dying
 * object.  These take it only when the put may be the last one.  They need
 * POSIX threads, which is why they live apart from the freestanding core.
 * The spinlock variants exist where <pthread.h> declares pthread_spinlock_t
 * (KREF_HAVE_SPINLOCK): everywhere but under a strict -std=c11 with glibc,
 * which hides it unless _POSIX_C_SOURCE >= 200112L is asked for.
 */
#ifndef KREF_LOCKS_H
#define KREF_LOCKS_H

#include <pthread.h>
#include <kref/kref.h>

/* glibc declares pthread_spinlock_t exactly when its <features.h> has
 * settled on _POSIX_C_SOURCE >= 200112L; elsewhere _POSIX_SPIN_LOCKS says. */
#ifndef KREF_HAVE_SPINLOCK
#if defined(__GLIBC__)
#if defined(_POSIX_C_SOURCE) && _POSIX_C_SOURCE >= 200112L
#define KREF_HAVE_SPINLOCK 1
#endif
#else
#include <unistd.h>
#if defined(_POSIX_SPIN_LOCKS) && _POSIX_SPIN_LOCKS > 0
#define KREF_HAVE_SPINLOCK 1
#endif
#endif
#endif

KREF_BEGIN_DECLS

/**
 * refcount_dec_and_mutex_lock - return holding @lock if able to decrement
 *	the refcount to 0
 * @r: the refcount
 * @lock: the mutex that lookups hold; taken only if the count is 1, that
 *	is when this decrement may be the last
 *
 * A count above 1 is decremented without the lock (refcount_dec_not_one());
 * otherwise @lock is taken and the count decremented under it.
 *
 * Ordering: as refcount_dec_and_test(); the lock adds its own.
 *
 * Return: true, with @lock held, if the count reached 0; false, with @lock
 * not held, otherwise.
 */
static inline KREF_MUST_CHECK bool
refcount_dec_and_mutex_lock(refcount_t *r, pthread_mutex_t *lock)
{
	if (refcount_dec_not_one(r))
		return false;

	pthread_mutex_lock(lock);
	if (!refcount_dec_and_test(r)) {
		pthread_mutex_unlock(lock);
		return false;
	}
	return true;
}

#ifdef KREF_HAVE_SPINLOCK
/**
 * refcount_dec_and_lock - refcount_dec_and_mutex_lock() for a spinlock
 * @r: the refcount
 * @lock: the spinlock that lookups hold; taken only if the count is 1
 *
 * Only where KREF_HAVE_SPINLOCK is defined.  Ordering: as
 * refcount_dec_and_test(); the lock adds its own.
 *
 * Return: true, with @lock held, if the count reached 0; false, with @lock
 * not held, otherwise.
 */
static inline KREF_MUST_CHECK bool
refcount_dec_and_lock(refcount_t *r, pthread_spinlock_t *lock)
{
	if (refcount_dec_not_one(r))
		return false;

	pthread_spin_lock(lock);
	if (!refcount_dec_and_test(r)) {
		pthread_spin_unlock(lock);
		return false;
	}
	return true;
}
#endif /* KREF_HAVE_SPINLOCK */

/**
 * kref_put_mutex - kref_put() with @mutex taken for the final put
 * @kref: the object's struct kref
 * @release: called with @mutex held; it must unlock @mutex (typically after
 *	unlinking the object from where lookups find it) and free the object.
 * @mutex: the mutex that lookups hold; taken only when the count is 1
 *
 * Ordering: as kref_put() (refcount_dec_and_mutex_lock()); the mutex adds
 * its own.
 *
 * Return: 1 if @release was called, 0 otherwise (with @mutex not held).
 */
static inline int kref_put_mutex(struct kref *kref,
				 void (*release)(struct kref *kref),
				 pthread_mutex_t *mutex)
{
	if (refcount_dec_and_mutex_lock(&kref->refcount, mutex)) {
		release(kref);
		return 1;
	}
	return 0;
}

#ifdef KREF_HAVE_SPINLOCK
/**
 * kref_put_lock - kref_put_mutex() for a spinlock
 * @kref: the object's struct kref
 * @release: called with @lock held; it must unlock @lock.
 * @lock: the spinlock that lookups hold; taken only when the count is 1
 *
 * Only where KREF_HAVE_SPINLOCK is defined.  Ordering: as kref_put(); the
 * lock adds its own.
 *
 * Return: 1 if @release was called, 0 otherwise (with @lock not held).
 */
static inline int kref_put_lock(struct kref *kref,
				void (*release)(struct kref *kref),
				pthread_spinlock_t *lock)
{
	if (refcount_dec_and_lock(&kref->refcount, lock)) {
		release(kref);
		return 1;
	}
	return 0;
}
#endif /* KREF_HAVE_SPINLOCK */

KREF_END_DECLS

#endif /* KREF_LOCKS_H */
