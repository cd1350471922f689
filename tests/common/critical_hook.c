/* SPDX-License-Identifier: MIT */
/*
 * critical_hook.c - kref_critical_enter() and kref_critical_exit() for the
 * host build with KREF_ATOMIC_HOOK=1 (make check's "hook" mode): one mutex,
 * as a multi-core part without atomics would use a lock.  Linked into that
 * build's libkref.a.  Aborts on a nested section, or on an exit that does
 * not match its enter; counts the sections for tests/unit/test_hook.c,
 * and shows it every value a section leaves behind, as another thread's
 * next section would see it.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <kref/atomic.h>

static pthread_mutex_t section = PTHREAD_MUTEX_INITIALIZER;
static _Thread_local const void *entered;	/* the counter, while inside */
unsigned long kref_critical_sections;		/* under the mutex */
void (*kref_critical_seen)(const int *counter);	/* called under the mutex */

static void hook_misuse(const char *what)
{
	fprintf(stderr, "critical_hook: %s\n", what);
	abort();
}

unsigned long kref_critical_enter(const void *counter)
{
	if (entered)
		hook_misuse("kref_critical_enter() nested");
	pthread_mutex_lock(&section);
	entered = counter;
	return ~(unsigned long)(uintptr_t)counter;
}

void kref_critical_exit(const void *counter, unsigned long state)
{
	if (!entered || counter != entered ||
	    state != ~(unsigned long)(uintptr_t)counter)
		hook_misuse("kref_critical_exit() does not match its enter");
	entered = NULL;
	kref_critical_sections++;
	if (kref_critical_seen)
		kref_critical_seen(counter);
	pthread_mutex_unlock(&section);
}
