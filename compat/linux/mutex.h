/* SPDX-License-Identifier: MIT */
/* linux/mutex.h (libkref compat) - struct mutex on a pthread mutex. */
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

static inline void mutex_lock(struct mutex *lock)
{
	pthread_mutex_lock(&lock->m);
}

static inline void mutex_unlock(struct mutex *lock)
{
	pthread_mutex_unlock(&lock->m);
}

#endif
