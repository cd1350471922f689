/* SPDX-License-Identifier: MIT */
/* linux/spinlock.h (libkref compat) - spinlock_t on a pthread spinlock. */
#ifndef KREF_COMPAT_LINUX_SPINLOCK_H
#define KREF_COMPAT_LINUX_SPINLOCK_H

#include <pthread.h>

typedef struct {
	pthread_spinlock_t s;
} spinlock_t;

/* glibc's unlocked spinlock is 0, so a static one needs no init call. */
#define DEFINE_SPINLOCK(name)	spinlock_t name = { 0 }

static inline void spin_lock_init(spinlock_t *lock)
{
	pthread_spin_init(&lock->s, PTHREAD_PROCESS_PRIVATE);
}

static inline void spin_lock(spinlock_t *lock)
{
	pthread_spin_lock(&lock->s);
}

static inline void spin_unlock(spinlock_t *lock)
{
	pthread_spin_unlock(&lock->s);
}

#endif
