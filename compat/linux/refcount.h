/* SPDX-License-Identifier: MIT */
/*
 * linux/refcount.h (libkref compat) - libkref's refcount_t, with the lock
 * variants taking the kernel's struct mutex and spinlock_t.
 */
#ifndef KREF_COMPAT_LINUX_REFCOUNT_H
#define KREF_COMPAT_LINUX_REFCOUNT_H

#include <kref.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>

#undef refcount_dec_and_mutex_lock
#undef refcount_dec_and_lock
#define refcount_dec_and_mutex_lock(r, lock) \
	(refcount_dec_and_mutex_lock)((r), &(lock)->m)
#define refcount_dec_and_lock(r, lock) \
	(refcount_dec_and_lock)((r), &(lock)->s)

/* Not the kernel's: refcount_dec_and_lock_irqsave()'s body; no interrupts
 * to mask in user space, so *@flags is 0. */
static inline KREF_MUST_CHECK bool
kref_compat_dec_and_lock_irqsave(refcount_t *r, spinlock_t *lock,
				 unsigned long *flags)
{
	*flags = 0;
	return (refcount_dec_and_lock)(r, &lock->s);
}

/**
 * refcount_dec_and_lock_irqsave - refcount_dec_and_lock(), saving the
 *	(always 0) interrupt flags in *@flags for spin_unlock_irqrestore()
 *
 * Return: true, with @lock held, if the count reached 0.
 */
#define refcount_dec_and_lock_irqsave(r, lock, flags) \
	kref_compat_dec_and_lock_irqsave((r), (lock), (flags))

#endif
