/* SPDX-License-Identifier: MIT */
/*
 * linux/rcupdate.h (libkref compat) - RCU from liburcu's "bulletproof"
 * flavour, which needs no thread registration, so kernel-style code runs
 * unchanged.  Link with -lurcu-bp (pkg-config liburcu-bp).  Also
 * guard(rcu)() and scoped_guard(rcu), as the kernel's.
 */
#ifndef KREF_COMPAT_LINUX_RCUPDATE_H
#define KREF_COMPAT_LINUX_RCUPDATE_H

#include <stdlib.h>
#include <urcu-bp.h>
#include <kref/compiler.h>
#include <kref/container_of.h>

/* liburcu is not built for ThreadSanitizer: tell it that a grace period
 * orders every read section before the callbacks that follow it. */
#ifdef KREF_TSAN
static char kref_compat_grace_period;
#undef rcu_read_unlock
#define rcu_read_unlock() \
	(__tsan_release(&kref_compat_grace_period), urcu_bp_read_unlock())
#define kref_compat_before_grace_period() __tsan_release(&kref_compat_grace_period)
#define kref_compat_after_grace_period() __tsan_acquire(&kref_compat_grace_period)
#else
#define kref_compat_before_grace_period() ((void)0)
#define kref_compat_after_grace_period() ((void)0)
#endif

/* kfree_rcu(ptr, field): free @ptr after a grace period.  The kernel finds
 * the object from its rcu_head by offset; here a small record carries the
 * pointer instead (allocated; if that fails, wait for the grace period). */
struct kref_compat_kfree_rcu {
	struct rcu_head head;
	void *ptr;
};

static inline void kref_compat_kfree_rcu_cb(struct rcu_head *head)
{
	struct kref_compat_kfree_rcu *k =
		container_of(head, struct kref_compat_kfree_rcu, head);

	kref_compat_after_grace_period();
	free(k->ptr);
	free(k);
}

static inline void kref_compat_kfree_rcu(void *ptr)
{
	struct kref_compat_kfree_rcu *k = (struct kref_compat_kfree_rcu *)malloc(sizeof(*k));

	if (!k) {
		synchronize_rcu();
		free(ptr);
		return;
	}
	k->ptr = ptr;
	kref_compat_before_grace_period();
	call_rcu(&k->head, kref_compat_kfree_rcu_cb);
}

#define kfree_rcu(ptr, field)	((void)sizeof((ptr)->field), kref_compat_kfree_rcu(ptr))

/* After the ThreadSanitizer rcu_read_unlock above, which the guard must
 * call.  (A program that includes <kref.h> after <urcu-bp.h> but before
 * this header gets the guard without it.) */
#include <kref/cleanup_rcu.h>

#endif
