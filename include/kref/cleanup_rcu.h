/* SPDX-License-Identifier: MIT */
/*
 * kref/cleanup_rcu.h - guard(rcu)() and scoped_guard(rcu): an RCU read-side
 * critical section until the end of the scope, with liburcu.
 *
 * Include it after the liburcu flavour you use (<urcu.h>, <urcu-bp.h>,
 * <urcu-qsbr.h>, ...): the guard calls that flavour's rcu_read_lock() and
 * rcu_read_unlock().  <kref/cleanup.h> includes it by itself when a flavour
 * came first.  compat's <linux/rcupdate.h> includes it too.
 */
#ifndef KREF_CLEANUP_RCU_H
#define KREF_CLEANUP_RCU_H

#include <kref/cleanup.h>

#if !defined(rcu_read_lock) || !defined(rcu_read_unlock)
#error "kref/cleanup_rcu.h: include a liburcu flavour (<urcu.h>, <urcu-bp.h>, <urcu-qsbr.h>, ...) before it"
#endif

DEFINE_LOCK_GUARD_0(rcu, rcu_read_lock(), rcu_read_unlock())

#endif /* KREF_CLEANUP_RCU_H */
