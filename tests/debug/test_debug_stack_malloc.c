/* SPDX-License-Identifier: MIT */
/*
 * test_debug_stack_malloc.c - a malloc interposer that captures a call
 * chain at every allocation, as debug mode's heap checks will.  A thread's
 * first capture looks its stack's bounds up with pthread_getattr_np(),
 * which allocates (fopen() on the main thread, realloc() on others): that
 * allocation comes back here, and the capture nested in it must neither
 * recurse nor wait, and the next capture must walk the whole chain.
 *
 * Build: -fno-omit-frame-pointer
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include "../../src/debug_stack.h"
#include "tap.h"

#include "sanitizer.h"

#ifndef SANITIZER_OWNS_MALLOC
/* glibc's own, under the names it exports for interposers. */
void *__libc_malloc(size_t size);
void *__libc_realloc(void *p, size_t size);

static atomic_bool hooked;
static _Thread_local unsigned int inside;
static atomic_uint nested;

static __attribute__((noinline)) void hook(void)
{
	if (!atomic_load(&hooked))
		return;
	if (inside)
		atomic_fetch_add(&nested, 1);
	inside++;
	kref_chain_capture_(__builtin_return_address(0),
			    __builtin_frame_address(0));
	inside--;
}

void *malloc(size_t size)
{
	hook();
	return __libc_malloc(size);
}

void *realloc(void *p, size_t size)
{
	hook();
	return __libc_realloc(p, size);
}

static volatile int no_tail;

/* A chain through three frames: how long does a capture find it? */
static __attribute__((noinline)) unsigned int entry(void)
{
	const void *pcs[KREF_CHAIN_DEPTH];
	kref_chain_t id = kref_chain_capture_(__builtin_return_address(0),
					      __builtin_frame_address(0));

	return kref_chain_frames_(id, pcs, KREF_CHAIN_DEPTH) ^ (unsigned int)no_tail;
}

static __attribute__((noinline)) unsigned int two(void)
{
	return entry() ^ (unsigned int)no_tail;
}

static __attribute__((noinline)) unsigned int one(void)
{
	return two() ^ (unsigned int)no_tail;
}

/* Where allocations go, so that the compiler cannot leave them out. */
static void *volatile kept;

/* Allocates first, so that its first capture is the interposer's. */
static void check_thread(const char *which)
{
	unsigned int before = atomic_load(&nested);
	void *p = malloc(16);

	kept = p;
	ok(atomic_load(&nested) > before, "%s: the first capture allocated, "
	   "and the interposer's capture nested in it returned", which);
	ok(one() >= 3, "%s: then the whole chain is walked", which);
	free(p);
}

static void *thread(void *arg)
{
	(void)arg;
	check_thread("another thread");
	return NULL;
}

int main(void)
{
	pthread_t th;

	kref_chain_set_unwind_(KREF_UNWIND_FP);
	if (kref_chain_unwind_() != KREF_UNWIND_FP) {
		printf("1..0 # SKIP no frame-pointer walk on this architecture\n");
		return 0;
	}
	atomic_store(&hooked, true);
	check_thread("main thread");
	ok(!pthread_create(&th, NULL, thread, NULL) && !pthread_join(th, NULL),
	   "a thread ran");
	atomic_store(&hooked, false);
	return done_testing();
}
#else
int main(void)
{
	printf("1..0 # SKIP a sanitizer owns malloc here (the plain, hook and clang builds run it)\n");
	return 0;
}
#endif
