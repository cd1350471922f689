/* SPDX-License-Identifier: MIT */
/*
 * test_debug_reuse.c - the memory of a tracked object that was released is
 * reused by an object debug mode did not see initialised: a KREF_INIT
 * object (static or stack) or one initialised in mixed_peer.c, built
 * without KREF_DEBUG (heap memory: test_debug_heap.c).  Its correct use is
 * never reported (every child runs with KREF_ABORT=1), the side table stays
 * sound under churn (ASan checks its frees), and real bugs at the same
 * address are still reported.
 *
 * Build: mixed_peer.o
 */
#include <signal.h>
#include <stdint.h>
#include "test_debug_life.h"
#include "../../src/internal.h"

/* ---- a KREF_INIT object placed in a buffer a tracked object used ------- */

static struct obj slot;

static int static_reuse(void)
{
	int released = 0;

	for (int i = 0; i < 3; i++) {
		tracked_life(&slot);
		slot = fresh;
		released += untracked_life(&slot, keep_release, 0);
	}
	fprintf(stderr, "released=%d leaks=%lu\n", released,
		kref_debug_report_leaks());
	return 0;
}

/* ---- initialised by the unit built without KREF_DEBUG ------------------ */

static int peer_reuse(void)
{
	int released = 0;

	for (int i = 0; i < 3; i++) {
		tracked_life(&slot);
		peer_init(&slot.ref);
		released += untracked_life(&slot, keep_release, 1);
	}
	/* The same, the peer's first operation being a put. */
	tracked_life(&slot);
	peer_init(&slot.ref);
	peer_get(&slot.ref);
	released += kref_put(&slot.ref, keep_release);
	released += kref_put(&slot.ref, keep_release);
	fprintf(stderr, "released=%d leaks=%lu\n", released,
		kref_debug_report_leaks());
	return 0;
}

/* ---- a stack slot, tracked in one call and not in the next ------------- */

static uintptr_t stack_addr[2];

static __attribute__((noinline)) int stack_user(int tracked)
{
	struct obj o;

	stack_addr[tracked] = (uintptr_t)&o;
	if (tracked) {
		tracked_life(&o);
		return 1;
	}
	o = fresh;
	return untracked_life(&o, keep_release, 0);
}

static int stack_reuse(void)
{
	int released = stack_user(1);

	released += stack_user(0);
	if (stack_addr[0] != stack_addr[1]) {
		fprintf(stderr, "address not reused\n");
		return 0;
	}
	fprintf(stderr, "released=%d leaks=%lu\n", released,
		kref_debug_report_leaks());
	return 0;
}

/* ---- a lookup finds the new object: kref_get_unless_zero succeeds ------ */

static int lookup_reuse(void)
{
	int released = 0;

	tracked_life(&slot);
	slot = fresh;
	refcount_set(&slot.ref.refcount, 3);	/* three holders */
	if (kref_get_unless_zero(&slot.ref))
		for (int i = 0; i < 4; i++)
			released += kref_put(&slot.ref, keep_release);
	fprintf(stderr, "released=%d leaks=%lu\n", released,
		kref_debug_report_leaks());
	return 0;
}

/* ---- churn: far more releases than debug mode keeps records of --------- */

#define POOL		(1 << 17)	/* twice the released records kept */
#define ROUNDS		3

static struct obj pool[POOL];

/*
 * Round 0 releases a tracked object in every slot: the released FIFOs
 * fill, then forget the oldest records, still in the table.  Round 1 puts
 * an untracked object (KREF_INIT or the peer's init) in every slot: those
 * whose record is still kept meet it and forget it, queued.  Round 2 is
 * tracked again, and the FIFOs free the forgotten records.
 */
static int churn(void)
{
	struct kref_debug_table_stats_ st;
	long released = 0;

	for (int round = 0; round < ROUNDS; round++) {
		for (long i = 0; i < POOL; i++) {
			struct obj *o = &pool[i];

			if (round % 2 == 0) {
				tracked_life(o);
				released++;
				continue;
			}
			if (i % 2)
				*o = fresh;
			else
				peer_init(&o->ref);
			kref_get(&o->ref);
			kref_put(&o->ref, keep_release);
			released += kref_put(&o->ref, keep_release);
		}
	}
	fprintf(stderr, "released=%ld leaks=%lu\n", released,
		kref_debug_report_leaks());
	kref_debug_table_stats_(&st);
	/* Every record left is a released one, in a FIFO that stays full. */
	if (st.records > st.released || st.released != 65536)
		fprintf(stderr, "records=%zu released=%zu\n", st.records,
			st.released);
	return 0;
}

/* ---- real bugs at a reused address are still reported ------------------ */

static int bugs_after_reuse(void)
{
	tracked_life(&slot);
	peer_init(&slot.ref);
	untracked_life(&slot, keep_release, 1);
	kref_init(&slot.ref); MARK("init");
	kref_put(&slot.ref, keep_release); MARK("final");
	kref_put(&slot.ref, keep_release); MARK("double");	/* not done */
	kref_get(&slot.ref); MARK("get");			/* not done */
	if (!kref_get_unless_zero(&slot.ref)) MARK("guz");	/* count 0 */
	return 0;
}

static void test_bugs_after_reuse(void)
{
	int status = run_child(bugs_after_reuse, NULL);

	ok(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	   "real bugs after reuse: reported, not fatal without KREF_ABORT");
	ok(says("kref: put after the final put (double put)\n  at ",
		marked("double")) &&
	   says("its final put was at ", marked("final")) &&
	   says("initialised at ", marked("init")),
	   "  double put: its line (%s), the final put's (%s), the init's (%s)",
	   marked("double"), marked("final"), marked("init"));
	ok(says("kref: get after the final put (use after free)\n  at ",
		marked("get")),
	   "  a get after it: named (%s)", marked("get"));
	ok(strcmp(marked("guz"), "?") != 0 && !strstr(output, "refcount_t:") &&
	   !strstr(output, "kref_get_unless_zero after"),
	   "  neither was performed: the count stayed 0, a kref_get_unless_zero "
	   "fails as a lookup under RCU would, unreported, and no refcount_t "
	   "line follows");
	status = run_child(bugs_after_reuse, "1");
	ok(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT &&
	   strstr(output, "kref: put after the final put (double put)\n") &&
	   !strstr(output, "kref: get after"),
	   "  and KREF_ABORT=1 stops at the double put");
}

int main(void)
{
	test_correct_reuse("a KREF_INIT object in a tracked object's slot",
			   static_reuse, 3);
	test_correct_reuse("a slot initialised by a unit without KREF_DEBUG",
			   peer_reuse, 4);
	test_correct_reuse("a stack slot reused across calls", stack_reuse, 2);
	test_correct_reuse("kref_get_unless_zero finds the new object",
			   lookup_reuse, 1);
	test_correct_reuse("churn: 262144 tracked releases, 131072 untracked "
			   "objects where tracked ones were (no double free)",
			   churn, (long)ROUNDS * POOL);
	test_bugs_after_reuse();
	return done_testing();
}
