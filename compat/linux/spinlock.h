/* SPDX-License-Identifier: MIT */
/*
 * linux/spinlock.h (libkref compat) - spinlock_t on a pthread spinlock.
 * User space has no interrupts to mask: the _irq, _irqsave and _bh forms
 * take the lock alone, and the saved flags are always 0.  With the
 * kernel's guards: spinlock, spinlock_try, spinlock_irq, spinlock_irq_try,
 * spinlock_irqsave, spinlock_irqsave_try, spinlock_bh.
 */
#ifndef KREF_COMPAT_LINUX_SPINLOCK_H
#define KREF_COMPAT_LINUX_SPINLOCK_H

#include <pthread.h>

typedef struct {
	pthread_spinlock_t s;
} spinlock_t;

/*
 * POSIX has no static initialiser for a spinlock, so DEFINE_SPINLOCK
 * writes the unlocked value itself: 1 in glibc's x86 implementation (a
 * lock decrements it to 0), 0 in its others and in musl's.
 */
#if defined(__GLIBC__) && (defined(__x86_64__) || defined(__i386__))
#define KREF_COMPAT_SPIN_UNLOCKED	1
#else
#define KREF_COMPAT_SPIN_UNLOCKED	0
#endif
#define DEFINE_SPINLOCK(name)	spinlock_t name = { KREF_COMPAT_SPIN_UNLOCKED }

static inline void spin_lock_init(spinlock_t *lock)
{
	pthread_spin_init(&lock->s, PTHREAD_PROCESS_PRIVATE);
}

static inline void spin_lock(spinlock_t *lock)
{
	pthread_spin_lock(&lock->s);
}

/* Return: 1 if the lock was taken, 0 if it is held (the kernel's sense). */
static inline int spin_trylock(spinlock_t *lock)
{
	return pthread_spin_trylock(&lock->s) == 0;
}

static inline void spin_unlock(spinlock_t *lock)
{
	pthread_spin_unlock(&lock->s);
}

#define spin_lock_irq(lock)		spin_lock(lock)
#define spin_unlock_irq(lock)		spin_unlock(lock)
#define spin_trylock_irq(lock)		spin_trylock(lock)
#define spin_lock_bh(lock)		spin_lock(lock)
#define spin_unlock_bh(lock)		spin_unlock(lock)
#define spin_trylock_bh(lock)		spin_trylock(lock)
/* @flags is an unsigned long lvalue, as in the kernel. */
#define spin_lock_irqsave(lock, flags)					\
	do { (flags) = 0; spin_lock(lock); } while (0)
#define spin_trylock_irqsave(lock, flags)				\
	((flags) = 0, spin_trylock(lock))
#define spin_unlock_irqrestore(lock, flags)				\
	do { (void)(flags); spin_unlock(lock); } while (0)

#if defined(__GNUC__)
#include <linux/cleanup.h>

DEFINE_LOCK_GUARD_1(spinlock, spinlock_t, spin_lock(_T->lock),
		    spin_unlock(_T->lock))
DEFINE_LOCK_GUARD_1_COND(spinlock, _try, spin_trylock(_T->lock))
DEFINE_LOCK_GUARD_1(spinlock_irq, spinlock_t, spin_lock_irq(_T->lock),
		    spin_unlock_irq(_T->lock))
DEFINE_LOCK_GUARD_1_COND(spinlock_irq, _try, spin_trylock_irq(_T->lock))
DEFINE_LOCK_GUARD_1(spinlock_irqsave, spinlock_t,
		    spin_lock_irqsave(_T->lock, _T->flags),
		    spin_unlock_irqrestore(_T->lock, _T->flags),
		    unsigned long flags)
DEFINE_LOCK_GUARD_1_COND(spinlock_irqsave, _try,
			 spin_trylock_irqsave(_T->lock, _T->flags))
DEFINE_LOCK_GUARD_1(spinlock_bh, spinlock_t, spin_lock_bh(_T->lock),
		    spin_unlock_bh(_T->lock))
#endif

#endif
