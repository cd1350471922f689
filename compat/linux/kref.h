/* SPDX-License-Identifier: MIT */
/*
 * linux/kref.h (libkref compat) - libkref's struct kref, with
 * kref_put_mutex and kref_put_lock taking the kernel's lock types.
 * Works with -DKREF_DEBUG too.
 */
#ifndef KREF_COMPAT_LINUX_KREF_H
#define KREF_COMPAT_LINUX_KREF_H

#include <linux/refcount.h>

#undef kref_put_mutex
#undef kref_put_lock
#ifdef KREF_DEBUG
#define kref_put_mutex(k, release, lock) \
	kref_debug_put_mutex((k), (release), &(lock)->m, KREF_SITE)
#define kref_put_lock(k, release, lock) \
	kref_debug_put_lock((k), (release), &(lock)->s, KREF_SITE)
#else
#define kref_put_mutex(k, release, lock) \
	(kref_put_mutex)((k), (release), &(lock)->m)
#define kref_put_lock(k, release, lock) \
	(kref_put_lock)((k), (release), &(lock)->s)
#endif

#endif
