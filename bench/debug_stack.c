/* SPDX-License-Identifier: MIT */
/*
 * debug_stack.c - what a call chain costs to capture, per method: the
 * depot's capture (frame-pointer walk, or _Unwind_Backtrace) with a warm
 * depot, and the bare walks it could be built on (_Unwind_Backtrace,
 * glibc's backtrace(), libunwind's unw_backtrace() when built with
 * HAVE_LIBUNWIND), each through a chain of six calls built with frame
 * pointers and one built without.  Nanoseconds per capture, min and median
 * over rounds, the chain's calls included ("calls only" is their share).
 *
 * BENCH_ROUNDS (15) rounds of BENCH_ITERATIONS (200000) captures each; an
 * argument runs only the methods whose name contains it ("frame").
 */
#define _GNU_SOURCE
#include <execinfo.h>
#include <stdio.h>
#include <unwind.h>
#ifdef HAVE_LIBUNWIND
#define UNW_LOCAL_ONLY
#include <libunwind.h>
#endif

/* For its constants only: the functions are reached through
 * debug_stack_entry.c's. */
#include "../src/debug_stack.h"
#include "debug_stack_bench.h"
#include "stats.h"

static NOINLINE unsigned int calls_only(void)
{
	return 1;
}

struct count {
	unsigned int n;
};

static _Unwind_Reason_Code count_frame(struct _Unwind_Context *ctx, void *arg)
{
	struct count *c = arg;

	(void)ctx;
	return ++c->n == KREF_CHAIN_DEPTH + 1 ? _URC_END_OF_STACK : _URC_NO_REASON;
}

/* The walks alone: this frame and KREF_CHAIN_DEPTH above it. */
static NOINLINE unsigned int unwind_backtrace(void)
{
	struct count c = { 0 };

	_Unwind_Backtrace(count_frame, &c);
	return c.n;
}

static NOINLINE unsigned int glibc_backtrace(void)
{
	void *pcs[KREF_CHAIN_DEPTH + 1];

	return (unsigned int)backtrace(pcs, KREF_CHAIN_DEPTH + 1);
}

#ifdef HAVE_LIBUNWIND
static NOINLINE unsigned int libunwind_backtrace(void)
{
	void *pcs[KREF_CHAIN_DEPTH + 1];

	return (unsigned int)unw_backtrace(pcs, KREF_CHAIN_DEPTH + 1);
}
#endif

struct method {
	const char *name;
	capture_fn fn;
	int unwind;		/* the depot's walk, or -1 */
};

static const struct method methods[] = {
	{ "calls only", calls_only, -1 },
	{ "capture, frame pointers", bench_capture, KREF_UNWIND_FP },
	{ "capture, _Unwind_Backtrace", bench_capture, KREF_UNWIND_EXACT },
	{ "bare _Unwind_Backtrace", unwind_backtrace, -1 },
	{ "bare glibc backtrace()", glibc_backtrace, -1 },
#ifdef HAVE_LIBUNWIND
	{ "bare libunwind unw_backtrace()", libunwind_backtrace, -1 },
#endif
};

int main(int argc, char **argv)
{
	int rounds = (int)env_long("BENCH_ROUNDS", 15, 1, MAX_ROUNDS);
	long iterations = env_long("BENCH_ITERATIONS", 200000, 1, 1L << 30);
	unsigned int (*const chains[])(capture_fn) = { fp_chain, nofp_chain };
	const char *const chain_name[] = { "with", "without" };

	printf("%-32s %-26s %8s %8s %7s\n", "method", "chain", "min ns",
	       "median", "frames");
	for (size_t m = 0; m < sizeof(methods) / sizeof(methods[0]); m++) {
		const struct method *me = &methods[m];

		if (argc > 1 && !strstr(me->name, argv[1]) && me->fn != calls_only)
			continue;
		if (me->unwind >= 0)
			bench_set_unwind(me->unwind);
		for (int c = 0; c < 2; c++) {
			double ns[MAX_ROUNDS];
			unsigned int got = chains[c](me->fn), frames = got;

			if (me->fn == bench_capture)
				frames = bench_frames(got);
			for (int r = 0; r < rounds; r++) {
				double t = now_ns();

				for (long i = 0; i < iterations; i++)
					chains[c](me->fn);
				ns[r] = (now_ns() - t) / (double)iterations;
			}
			printf("%-32s %-7s frame pointers %8.1f %8.1f %7u\n",
			       me->name, chain_name[c], minimum(ns, rounds),
			       median(ns, rounds), frames);
		}
	}
	return 0;
}
