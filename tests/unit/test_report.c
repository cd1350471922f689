/* SPDX-License-Identifier: MIT */
/*
 * test_report.c - the default report, as a user sees it on stderr: the
 * kernel's text once per event type, a backtrace naming the caller, and
 * KREF_ABORT turning it into abort().  Each case runs in a child process.
 */
#include <signal.h>
#include <string.h>
#include <kref.h>
#include "child.h"
#include "tap.h"

/*
 * Not static and not inlined, so the backtrace can name them (-rdynamic).
 * GCC moves the misuse branch into a local ".cold" part that dladdr()
 * cannot name; keeping it in place lets the test check the first frame.
 */
#if defined(__GNUC__) && !defined(__clang__)
#define NAMED_FRAME __attribute__((noinline, optimize("no-reorder-blocks-and-partition")))
#else
#define NAMED_FRAME __attribute__((noinline))
#endif

NAMED_FRAME int trigger_add_uaf(void)
{
	refcount_t a = REFCOUNT_INIT(0), b = REFCOUNT_INIT(0);

	refcount_inc(&a);
	refcount_inc(&b);	/* the same event again: not printed twice */
	return (int)refcount_read(&a) + (int)refcount_read(&b);
}

NAMED_FRAME int trigger_every_type(void)
{
	refcount_t r = REFCOUNT_INIT(REFCOUNT_MAX);
	int sum = 0;

	sum += refcount_inc_not_zero(&r);	/* REFCOUNT_ADD_NOT_ZERO_OVF */
	refcount_set(&r, REFCOUNT_MAX);
	refcount_inc(&r);			/* REFCOUNT_ADD_OVF */
	refcount_set(&r, 0);
	refcount_inc(&r);			/* REFCOUNT_ADD_UAF */
	refcount_set(&r, 0);
	sum += refcount_dec_and_test(&r);	/* REFCOUNT_SUB_UAF */
	refcount_set(&r, 1);
	refcount_dec(&r);			/* REFCOUNT_DEC_LEAK */
	return sum + (int)refcount_read(&r);
}

static void count_handler(refcount_t *r, enum refcount_saturation_type t)
{
	(void)r;
	(void)t;
}

NAMED_FRAME int trigger_with_handler(void)
{
	refcount_set_warn_handler(count_handler);
	return trigger_add_uaf();
}

static int first_line_has(const char *s, const char *needle)
{
	const char *hit = strstr(s, needle), *nl = strchr(s, '\n');

	return hit && (!nl || hit < nl);
}

static void test_text_and_backtrace(void)
{
	static const char text[] = "refcount_t: addition on 0; use-after-free.\n";
	int status = run_child(trigger_add_uaf, NULL);
	const char *frame = strstr(output, text);

	ok(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	   "the default report does not stop the program");
	is(count_lines("refcount_t: addition on 0; use-after-free."), 1,
	   "the kernel's text, printed once for two events of one type");
	frame = frame ? frame + sizeof(text) - 1 : "";
	ok(first_line_has(frame, "(trigger_add_uaf+"),
	   "followed by a backtrace whose first frame is the caller");
	ok(strstr(frame, "(main+") != NULL, "  down to main");
	if (!strstr(frame, "(main+"))
		diag("stderr was:\n%s", output);
}

static void test_every_type(void)
{
	run_child(trigger_every_type, NULL);
	is(count_lines("refcount_t: saturated; leaking memory."), 2,
	   "ADD_NOT_ZERO_OVF and ADD_OVF: saturated; leaking memory (once each)");
	is(count_lines("refcount_t: addition on 0; use-after-free."), 1,
	   "ADD_UAF: addition on 0; use-after-free");
	is(count_lines("refcount_t: underflow; use-after-free."), 1,
	   "SUB_UAF: underflow; use-after-free");
	is(count_lines("refcount_t: decrement hit 0; leaking memory."), 1,
	   "DEC_LEAK: decrement hit 0; leaking memory");
}

static void test_abort(void)
{
	int status = run_child(trigger_add_uaf, "1");

	ok(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT,
	   "KREF_ABORT=1: the report ends in abort()");
	is(count_lines("refcount_t: addition on 0; use-after-free."), 1,
	   "after printing the report");
	status = run_child(trigger_add_uaf, "0");
	ok(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	   "KREF_ABORT=0 does not abort");
}

static void test_handler_replaces_default(void)
{
	int status = run_child(trigger_with_handler, "1");

	ok(WIFEXITED(status) && output[0] == '\0',
	   "an installed handler replaces the default: no output, no abort");
}

int main(void)
{
	test_text_and_backtrace();
	test_every_type();
	test_abort();
	test_handler_replaces_default();
	return done_testing();
}
