/* SPDX-License-Identifier: MIT */
/*
 * linux/cleanup.h (libkref compat) - scope-based cleanup, the kernel's
 * vocabulary: libkref's <kref/cleanup.h>, which has the list and the few
 * differences.  The kernel's own guards and frees come with their headers,
 * as there: guard(mutex) with <linux/mutex.h>, guard(spinlock) and its
 * irq forms with <linux/spinlock.h>, __free(kfree) with <linux/slab.h>,
 * guard(rcu) with <linux/rcupdate.h>.
 */
#ifndef KREF_COMPAT_LINUX_CLEANUP_H
#define KREF_COMPAT_LINUX_CLEANUP_H

#include <kref/cleanup.h>
#include <linux/err.h>

#ifndef __cleanup
#define __cleanup(func)	__attribute__((__cleanup__(func)))
#endif

/* The kernel's names for what a guard class defines. */
#define __guard_ptr(_name)	class_##_name##_lock_ptr
#define __guard_err(_name)	class_##_name##_lock_err
#define __is_cond_ptr(_name)	class_##_name##_is_conditional

#endif
