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

#endif
