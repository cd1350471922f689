/* SPDX-License-Identifier: MIT */
/*
 * test_debug_heap.c - test_debug_reuse.c's cases on the heap: a tracked
 * object is freed by its release function and malloc hands its memory to an
 * object debug mode does not see initialised.  Each case checks that the
 * address really came back.
 *
 * Build: mixed_peer.o
 */
#include <stdint.h>
#include "test_debug_life.h"

/* ASan holds freed memory back from malloc (its quarantine); this test
 * needs malloc to hand the same address out again.  test_debug_reuse.c
 * keeps the quarantine, to catch a record used after it is freed. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "quarantine_size_mb=0:thread_local_quarantine_size_kb=0";
}

/* Where the last object was freed: kept out of the compiler's sight, which
 * may assume a new allocation is never at a freed one's address. */
static volatile uintptr_t freed_at;

static void note_and_free(struct kref *ref)
{
	freed_at = (uintptr_t)ref;
	free_release(ref);
}

/* A tracked object freed by its final put; then malloc again: the address
 * it returns, reused or not. */
static struct obj *tracked_then_malloc(uintptr_t *old)
{
	struct obj *o = malloc(sizeof(*o));

	kref_init(&o->ref);
	kref_get(&o->ref);
	kref_put(&o->ref, note_and_free);
	kref_put(&o->ref, note_and_free);	/* frees o */
	*old = freed_at;
	return malloc(sizeof(*o));
}

static int heap_kref_init_object(void)
{
	uintptr_t old;
	struct obj *o = tracked_then_malloc(&old);
	int released;

	if ((uintptr_t)o != old) {
		fprintf(stderr, "address not reused\n");
		return 0;
	}
	*o = fresh;
	released = untracked_life(o, free_release, 0);
	fprintf(stderr, "released=%d leaks=%lu\n", released,
		kref_debug_report_leaks());
	return 0;
}

static int heap_peer_object(void)
{
	uintptr_t old;
	struct obj *o = tracked_then_malloc(&old);
	int released;

	if ((uintptr_t)o != old) {
		fprintf(stderr, "address not reused\n");
		return 0;
	}
	peer_init(&o->ref);
	released = untracked_life(o, free_release, 1);
	fprintf(stderr, "released=%d leaks=%lu\n", released,
		kref_debug_report_leaks());
	return 0;
}

/* More than twice the released records debug mode keeps (65,536), each
 * object's memory reused by an untracked one. */
#define CHURN	(2 * 1024 * 64 + 8192)

static int heap_churn(void)
{
	long released = 0, reused = 0;

	for (long i = 0; i < CHURN; i++) {
		uintptr_t old;
		struct obj *o = tracked_then_malloc(&old);

		reused += (uintptr_t)o == old;
		released++;
		if (i % 2)
			*o = fresh;
		else
			peer_init(&o->ref);
		released += untracked_life(o, free_release, (int)(i % 4) < 2);
	}
	if (reused < CHURN / 2) {
		fprintf(stderr, "address not reused\n");
		return 0;
	}
	fprintf(stderr, "released=%ld leaks=%lu\n", released,
		kref_debug_report_leaks());
	return 0;
}

int main(void)
{
	test_correct_reuse("heap: a KREF_INIT object where a tracked one was "
			   "freed", heap_kref_init_object, 1);
	test_correct_reuse("heap: an object initialised without KREF_DEBUG "
			   "where a tracked one was freed", heap_peer_object, 1);
	test_correct_reuse("heap churn: 139264 tracked objects freed, their "
			   "memory reused by untracked ones (no double free)",
			   heap_churn, 2L * CHURN);
	return done_testing();
}
