/* SPDX-License-Identifier: MIT */
/*
 * test_hooks.h - points inside percpu_ref's mode switch where a test can
 * stop the switching thread, to hold a race window open on purpose.
 *
 * Only src/percpu.c built with -DKREF_TEST_HOOKS has them: mk/tests.mk
 * builds that copy as build/MODE/obj/percpu_hooks.o and links it, ahead of
 * libkref.a, into the tests that name it on their Build: line.  libkref
 * itself is built without, so the hooks cost a release build nothing and
 * it exports no such symbol.
 * Not installed.
 */
#ifndef KREF_TEST_HOOKS_H
#define KREF_TEST_HOOKS_H

#include <kref/percpu.h>

enum kref_internal_hook_point {
	/* switch_to_atomic(), switch_lock held: __PERCPU_REF_ATOMIC is set,
	 * so gets and puts go to the atomic count, but the membarriers and
	 * the sum of the per-CPU counters are still to come. */
	KREF_INTERNAL_HOOK_SWITCH_FLAGGED,
	/* list_push(), switch_lock held, in the middle of adding a switch
	 * that has a confirmation to run to the finishing list (list_busy
	 * set): where a fork from a signal handler must leave the list alone
	 * in the child until the change is done. */
	KREF_INTERNAL_HOOK_LIST_CHANGE,
};

/* Called at each point if set; set it before any thread can switch. */
extern void (*kref_internal_percpu_hook)(struct percpu_ref *ref,
					 enum kref_internal_hook_point point);

#endif /* KREF_TEST_HOOKS_H */
