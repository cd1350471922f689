/* SPDX-License-Identifier: MIT */
/*
 * test_debug_life.h - lives of objects at one address, tracked by debug
 * mode or not, for test_debug_reuse.c and test_debug_heap.c (built with
 * KREF_DEBUG and linked with mixed_peer.c, built without).
 */
#ifndef TESTS_TEST_DEBUG_LIFE_H
#define TESTS_TEST_DEBUG_LIFE_H

#include <kref.h>
#include "child.h"
#include "mixed_peer.h"
#include "tap.h"

struct obj {
	struct kref ref;
	int payload;
};

static const struct obj fresh = { .ref = KREF_INIT(1), .payload = 1 };

static inline void keep_release(struct kref *ref)
{
	container_of(ref, struct obj, ref)->payload = -1;	/* not freed */
}

static inline void free_release(struct kref *ref)
{
	free(container_of(ref, struct obj, ref));
}

/* A tracked life: init, a get, two puts; released (not freed). */
static inline void tracked_life(struct obj *o)
{
	kref_init(&o->ref);
	kref_get(&o->ref);
	kref_put(&o->ref, keep_release);
	kref_put(&o->ref, keep_release);
}

static pthread_mutex_t unused_lock = PTHREAD_MUTEX_INITIALIZER;

/* Correct use of an object that holds one reference, ending in its final
 * put; @peer mixes in gets and puts from the unit built without KREF_DEBUG.
 * Returns how many times it was released (1). */
static inline int untracked_life(struct obj *o, void (*release)(struct kref *),
				 int peer)
{
	int released = 0;

	kref_get(&o->ref);
	if (kref_get_unless_zero(&o->ref))
		released += kref_put(&o->ref, release);
	if (peer) {
		peer_get(&o->ref);
		peer_get_put(&o->ref, release, 3);
		released += kref_put(&o->ref, release);
	}
	released += kref_put_mutex(&o->ref, release, &unused_lock);
	return released + kref_put(&o->ref, release);
}

/* Runs @fn in a child with KREF_ABORT=1: it must report nothing and print
 * "released=@want leaks=0" (or "address not reused": the test failed to
 * set up what it tests). */
static inline void test_correct_reuse(const char *what, int (*fn)(void), long want)
{
	char expect[64];
	int status = run_child(fn, "1");

	snprintf(expect, sizeof(expect), "released=%ld leaks=0\n", want);
	ok(WIFEXITED(status) && WEXITSTATUS(status) == 0 &&
	   strcmp(output, expect) == 0,
	   "%s: counted right, no report even with KREF_ABORT=1", what);
	if (strcmp(output, expect) != 0)
		diag("output:\n%s", output);
}

#endif /* TESTS_TEST_DEBUG_LIFE_H */
