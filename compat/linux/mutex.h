/* SPDX-License-Identifier: MIT */
/*
 * linux/mutex.h (libkref compat) - struct mutex on a pthread mutex, with
 * the kernel's guards: guard(mutex)(&m), scoped_guard(mutex_try, &m) and
 * mutex_intr (a pthread mutex wait is never interrupted).
 */
#ifndef KREF_COMPAT_LINUX_MUTEX_H
#define KREF_COMPAT_LINUX_MUTEX_H

#include <pthread.h>

struct mutex {
	pthread_mutex_t m;
};

#define DEFINE_MUTEX(name)	struct mutex name = { PTHREAD_MUTEX_INITIALIZER }

static inline void mutex_init(struct mutex *lock)
{
	pthread_mutex_init(&lock->m, NULL);
}

static inline void mutex_destroy(struct mutex *lock)
{
	pthread_mutex_destroy(&lock->m);
}

static inline void mutex_lock(struct mutex *lock)
{
	pthread_mutex_lock(&lock->m);
}

/* Return: 0; nothing interrupts a pthread mutex wait. */
static inline int mutex_lock_interruptible(struct mutex *lock)
{
	pthread_mutex_lock(&lock->m);
	return 0;
}

/* Return: 1 if the mutex was taken, 0 if it is held (the kernel's sense). */
static inline int mutex_trylock(struct mutex *lock)
{
	return pthread_mutex_trylock(&lock->m) == 0;
}

static inline void mutex_unlock(struct mutex *lock)
{
	pthread_mutex_unlock(&lock->m);
}

#if defined(__GNUC__)
#include <linux/cleanup.h>

DEFINE_GUARD(mutex, struct mutex *, mutex_lock(_T), mutex_unlock(_T))
DEFINE_GUARD_COND(mutex, _try, mutex_trylock(_T))
DEFINE_GUARD_COND(mutex, _intr, mutex_lock_interruptible(_T), _RET == 0)
#endif

#endif
