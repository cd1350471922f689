/* SPDX-License-Identifier: MIT */
/*
 * test_debug_stack.c - debug mode's call chains (src/debug_stack.h): a
 * chain captured through three functions names each of them at the line of
 * its call, by either walk, whether the entry point calls the capture,
 * tail-calls it or calls it through a helper; the depot keeps a chain once,
 * in any thread and in a fork child; frame pointers that are garbage end
 * the walk but never make it fault; a full depot says so.
 *
 * Built with -fno-omit-frame-pointer (its Build: line), as a program using
 * the default walk must be.
 *
 * Build: -fno-omit-frame-pointer
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "../../src/debug_stack.h"
#include "tap.h"

#define NOINLINE __attribute__((noinline))

/* Read after each call, so that no call is a tail call (a frame lost). */
static volatile int no_tail;

/* The lines of the calls in tail_level, level1..3 and helper_level, set
 * as they run. */
static _Atomic int line_of[5];

/* As a public kref_debug_* entry point captures: its caller's chain. */
static NOINLINE kref_chain_t entry(void)
{
	return kref_chain_capture_(__builtin_return_address(0),
				   __builtin_frame_address(0)) ^ (kref_chain_t)no_tail;
}

/* As an entry point that tail-calls the capture: its frame record is gone
 * by then (at -O2; at -O0 it is a plain call). */
static NOINLINE kref_chain_t tail_entry(void)
{
	return kref_chain_capture_(__builtin_return_address(0),
				   __builtin_frame_address(0));
}

NOINLINE kref_chain_t tail_level(void)
{
	kref_chain_t id = tail_entry(); line_of[0] = __LINE__;

	return id ^ (kref_chain_t)no_tail;
}

/* As an entry point that captures through a helper of its own. */
static NOINLINE kref_chain_t capture_for(const void *from, const void *frame)
{
	return kref_chain_capture_(from, frame) ^ (kref_chain_t)no_tail;
}

static NOINLINE kref_chain_t helper_entry(void)
{
	return capture_for(__builtin_return_address(0),
			   __builtin_frame_address(0)) ^ (kref_chain_t)no_tail;
}

NOINLINE kref_chain_t helper_level(void)
{
	kref_chain_t id = helper_entry(); line_of[4] = __LINE__;

	return id ^ (kref_chain_t)no_tail;
}

NOINLINE kref_chain_t level3(void)
{
	kref_chain_t id = entry(); line_of[3] = __LINE__;

	return id ^ (kref_chain_t)no_tail;
}

NOINLINE kref_chain_t level2(void)
{
	kref_chain_t id = level3(); line_of[2] = __LINE__;

	return id ^ (kref_chain_t)no_tail;
}

NOINLINE kref_chain_t level1(void)
{
	kref_chain_t id = level2(); line_of[1] = __LINE__;

	return id ^ (kref_chain_t)no_tail;
}

/* Whether @text has the line "#@n @func FILE:@line" (FILE as the compiler
 * was given it, as __FILE__ is), or "#@n @func ..." without libdw. */
static int names_frame(const char *text, unsigned int n, const char *func,
		       int line)
{
	char want[512];

#ifdef KREF_HAVE_LIBDW
	snprintf(want, sizeof(want), "#%u %s %s:%d\n", n, func, __FILE__, line);
#else
	(void)line;
	snprintf(want, sizeof(want), "#%u %s ", n, func);
#endif
	return strstr(text, want) != NULL;
}

/* Not static: dladdr() names only exported functions (-rdynamic). */
NOINLINE void check_chain(const char *how)
{
	char text[4096], one[1024];
	kref_chain_t id = level1();
	int first = __LINE__ - 1;
	const void *pcs[KREF_CHAIN_DEPTH];
	unsigned int n = kref_chain_frames_(id, pcs, KREF_CHAIN_DEPTH);

	ok(id > KREF_CHAIN_FULL, "%s: a chain is kept (id %u)", how, id);
	ok(n >= 4, "%s: it has level3, level2, level1 and their caller (%u frames)",
	   how, n);
	kref_chain_format_(id, "    ", text, sizeof(text));
	diag("%s:\n%s", how, text);
	ok(names_frame(text, 0, "level3", line_of[3]), "%s: #0 is level3's call", how);
	ok(names_frame(text, 1, "level2", line_of[2]), "%s: #1 is level2's call", how);
	ok(names_frame(text, 2, "level1", line_of[1]), "%s: #2 is level1's call", how);
	ok(names_frame(text, 3, "check_chain", first), "%s: #3 is check_chain's", how);
	ok(strncmp(text, "    #0 level3 ", 14) == 0, "%s: lines start with the indent", how);

	id = tail_level();
	first = __LINE__ - 1;
	kref_chain_format_(id, "", text, sizeof(text));
	ok(names_frame(text, 0, "tail_level", line_of[0]) &&
	   names_frame(text, 1, "check_chain", first),
	   "%s: an entry point that tail-calls the capture loses no frame", how);
	id = helper_level();
	first = __LINE__ - 1;
	kref_chain_format_(id, "", text, sizeof(text));
	ok(names_frame(text, 0, "helper_level", line_of[4]) &&
	   names_frame(text, 1, "check_chain", first),
	   "%s: one that captures through a helper of its own neither", how);

	id = level1();
	kref_chain_format_line_(id, 2, one, sizeof(one));
	diag("%s, one line: %s", how, one);
	ok(strncmp(one, "level3 ", 7) == 0 && strstr(one, " < level2 ") &&
	   !strstr(one, "level1") && !strchr(one, '\n'),
	   "%s: the one-line form has the first 2 frames", how);
}

/* ---- the depot -------------------------------------------------------- */

static void *capture_in_thread(void *arg)
{
	*(kref_chain_t *)arg = level1();
	return NULL;
}

static pthread_barrier_t start_together;

/* Both threads' chains are the same: the same function, from the same
 * thread start routine; whoever loses the race to add it finds the other's. */
static void *race_in_thread(void *arg)
{
	pthread_barrier_wait(&start_together);
	*(kref_chain_t *)arg = level1();
	return NULL;
}

/* The loop's bound is read at run time, so the call is not unrolled into
 * two calls (two chains). */
static volatile int twice = 2;

static void check_depot(void)
{
	kref_chain_t a[2], b, t, r[2];
	pthread_t th, racer[2];
	char text[256];

	for (int i = 0; i < twice; i++)
		a[i] = level1();
	b = level1();
	is(a[1], a[0], "the same chain twice: the same id");
	ok(b != a[0] && b > KREF_CHAIN_FULL, "another caller: another id");
	ok(!pthread_create(&th, NULL, capture_in_thread, &t) &&
	   !pthread_join(th, NULL), "a thread captured");
	ok(t > KREF_CHAIN_FULL && t != a[0] && t != b,
	   "a thread's chain (its own outer frames) has its own id");
	pthread_barrier_init(&start_together, NULL, 2);
	for (int i = 0; i < 2; i++)
		pthread_create(&racer[i], NULL, race_in_thread, &r[i]);
	for (int i = 0; i < 2; i++)
		pthread_join(racer[i], NULL);
	pthread_barrier_destroy(&start_together);
	ok(r[0] == r[1] && r[0] > KREF_CHAIN_FULL,
	   "two threads adding one chain at once: one id (%u, %u)", r[0], r[1]);

	is(kref_chain_format_(KREF_CHAIN_NONE, "  ", text, sizeof(text)), 0,
	   "no chain formats as nothing");
	kref_chain_format_(KREF_CHAIN_FULL, "  ", text, sizeof(text));
	ok(strcmp(text, "  (call chain not kept: depot full)\n") == 0,
	   "a full depot's id says so");
	kref_chain_format_(a[0], "  ", text, 12);
	ok(strlen(text) == 0, "a line that does not fit is left out: '%s'", text);
}

/* ---- garbage frames --------------------------------------------------- */

#if defined(__x86_64__) || defined(__aarch64__)
/* Calls fn() with the frame pointer set to @garbage, as code built
 * without frame pointers may leave it. */
unsigned int call_with_fp(unsigned int (*fn)(void), uintptr_t garbage);
#if defined(__x86_64__)
__asm__(".text\n.globl call_with_fp\n.type call_with_fp,@function\n"
	"call_with_fp:\n\tpush %rbp\n\tmov %rsi, %rbp\n\tcall *%rdi\n"
	"\tpop %rbp\n\tret\n.size call_with_fp,.-call_with_fp\n");
#else
__asm__(".text\n.globl call_with_fp\n.type call_with_fp,%function\n"
	"call_with_fp:\n\tstp x29, x30, [sp, #-16]!\n\tmov x29, x1\n"
	"\tblr x0\n\tldp x29, x30, [sp], #16\n\tret\n"
	".size call_with_fp,.-call_with_fp\n");
#endif

static kref_chain_t garbage_id;

/* Its frame record is sound; the one it links to is @garbage. */
static NOINLINE unsigned int capture_here(void)
{
	const void *pcs[KREF_CHAIN_DEPTH];

	garbage_id = entry();
	return kref_chain_frames_(garbage_id, pcs, KREF_CHAIN_DEPTH) ^
	       (unsigned int)no_tail;
}

static uint64_t rng = 0x2545F4914F6CDD1Dull;

static uint64_t next_random(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static void *garbage_thread(void *arg)
{
	uintptr_t words[512] = { 0 };
	const uintptr_t links[] = {
		0, 1, 0xdeadbeef, 0xdeadbeef0, UINTPTR_MAX, UINTPTR_MAX - 7,
		(uintptr_t)&words[510] + 4,	/* misaligned */
		(uintptr_t)__builtin_frame_address(0) - 4096,	/* below */
		(uintptr_t)arg,			/* another stack, or the heap */
		(uintptr_t)&rng,		/* a global */
		(uintptr_t)garbage_thread,	/* code */
	};
	unsigned int worst = 0, n;

	for (size_t i = 0; i < sizeof(links) / sizeof(links[0]); i++) {
		n = call_with_fp(capture_here, links[i]);
		worst = n > worst ? n : worst;
	}
	is(worst, 2, "links off the stack, backwards or misaligned: the walk "
	   "stops at them (longest chain)");
	is(call_with_fp(capture_here, (uintptr_t)words), 2,
	   "a link to a record returning to 0: the walk stops");

	/* Random words, some pointing up the array: long and looping chains. */
	for (int round = 0; round < 2000; round++) {
		for (size_t i = 0; i < 512; i++) {
			uint64_t r = next_random();

			words[i] = r & 1 ? (uintptr_t)&words[(i + r % 64) % 512] +
					   (r >> 8) % 3 * 4 : (uintptr_t)r;
		}
		call_with_fp(capture_here, (uintptr_t)&words[next_random() % 512]);
		if (garbage_id <= KREF_CHAIN_FULL)
			break;
	}
	ok(garbage_id > KREF_CHAIN_FULL, "random frames: captured, no fault");

	kref_chain_set_unwind_(KREF_UNWIND_EXACT);
	for (size_t i = 0; i < sizeof(links) / sizeof(links[0]); i++)
		call_with_fp(capture_here, links[i]);
	kref_chain_set_unwind_(KREF_UNWIND_FP);
	ok(garbage_id > KREF_CHAIN_FULL,
	   "the unwinder through code without unwind tables: no fault");
	return NULL;
}

static void check_garbage(void)
{
	pthread_t th;
	uintptr_t on_main_stack[4] = { 0 };
	uintptr_t *heap = calloc(4, sizeof(*heap));

	ok(!pthread_create(&th, NULL, garbage_thread, on_main_stack) &&
	   !pthread_join(th, NULL), "garbage frames in a thread");
	/* And on the main thread, whose bounds come from /proc/self/maps. */
	garbage_thread(heap);
	free(heap);
}
#else
static void check_garbage(void)
{
	diag("no frame-pointer walk on this architecture: no garbage to follow");
}
#endif

/* ---- many chains: fork, and a full depot (in a child: it stays full) -- */

static kref_chain_t fanned;
static volatile int side;

/*
 * Eight call sites per level, picked by @digits' octal digits: the chain of
 * the capture at level 0 is the 8 return addresses of the levels, whoever
 * called fan(), one of 8^7 chains.  What follows each call differs, so
 * that no two calls are merged into one.
 */
static NOINLINE void fan(unsigned int digits, int level)
{
	if (!level) {
		fanned = entry();
		side = 0;
		return;
	}
	switch (digits & 7) {
	case 0: fan(digits >> 3, level - 1); side = 1; break;
	case 1: fan(digits >> 3, level - 1); side = 2; break;
	case 2: fan(digits >> 3, level - 1); side = 3; break;
	case 3: fan(digits >> 3, level - 1); side = 4; break;
	case 4: fan(digits >> 3, level - 1); side = 5; break;
	case 5: fan(digits >> 3, level - 1); side = 6; break;
	case 6: fan(digits >> 3, level - 1); side = 7; break;
	default: fan(digits >> 3, level - 1); side = 8; break;
	}
}

static kref_chain_t fan_chain(unsigned int digits)
{
	fan(digits, KREF_CHAIN_DEPTH - 1);
	return fanned;
}

static void check_fork(kref_chain_t parent_id, kref_chain_t parent_fan)
{
	int status = -1;
	pid_t pid = fork();

	if (pid == 0) {
		char text[4096];
		size_t chains, capacity, before;
		unsigned int digits;

		kref_chain_format_(parent_id, "", text, sizeof(text));
		if (fan_chain(01234567) != parent_fan ||
		    !names_frame(text, 1, "level2", line_of[2]))
			_exit(1);
		/* Distinct chains until the depot is full. */
		kref_chain_stats_(&before, &capacity);
		for (digits = 0; digits < 2 * capacity; digits++)
			if (fan_chain(digits) == KREF_CHAIN_FULL)
				break;
		kref_chain_stats_(&chains, &capacity);
		if (digits != capacity - before || chains != capacity)
			_exit(2);
		if (fan_chain(01234567) != parent_fan || level2() != KREF_CHAIN_FULL)
			_exit(3);
		_exit(0);
	}
	ok(pid > 0 && waitpid(pid, &status, 0) == pid, "a fork child ran");
	ok(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	   "the child finds the parent's chains, names them, and fills the "
	   "depot: known chains still found, new ones FULL (status %#x)", status);
}

int main(void)
{
	kref_chain_t id, fanned_id;

	diag("default walk: %s", kref_chain_unwind_() == KREF_UNWIND_FP ?
	     "frame pointers" : "unwinder");
	check_chain("default");
	kref_chain_set_unwind_(KREF_UNWIND_EXACT);
	check_chain("unwinder");
	kref_chain_set_unwind_(KREF_UNWIND_FP);
	check_depot();
	check_garbage();
	id = level1();
	fanned_id = fan_chain(01234567);
	ok(fanned_id > KREF_CHAIN_FULL && fan_chain(01234566) != fanned_id &&
	   fan_chain(01234567) == fanned_id, "fan() makes distinct chains");
	check_fork(id, fanned_id);
	return done_testing();
}
