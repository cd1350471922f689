/* SPDX-License-Identifier: MIT */
/*
 * tap.h - the least TAP a C test needs: ok(), is(), diag(), done_testing().
 */
#ifndef TESTS_TAP_H
#define TESTS_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

static int tap_run, tap_failed;

static void tap_result(int pass, const char *file, int line, const char *fmt,
		       va_list ap)
{
	printf("%sok %d - ", pass ? "" : "not ", ++tap_run);
	vprintf(fmt, ap);
	printf("\n");
	if (!pass) {
		printf("#   Failed at %s:%d\n", file, line);
		tap_failed++;
	}
	fflush(stdout);
}

static inline int tap_ok(int pass, const char *file, int line,
			 const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tap_result(pass, file, line, fmt, ap);
	va_end(ap);
	return pass;
}

static inline int tap_is(long long got, long long want, const char *file,
			 int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tap_result(got == want, file, line, fmt, ap);
	va_end(ap);
	if (got != want)
		printf("#        got: %lld\n#   expected: %lld\n", got, want);
	return got == want;
}

#define ok(cond, ...)		tap_ok(!!(cond), __FILE__, __LINE__, __VA_ARGS__)
#define is(got, want, ...)	tap_is((long long)(got), (long long)(want), \
				       __FILE__, __LINE__, __VA_ARGS__)
#define diag(...)		(printf("# " __VA_ARGS__), printf("\n"))

/* Prints the plan and returns the exit status for main(). */
static inline int done_testing(void)
{
	printf("1..%d\n", tap_run);
	return tap_failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

/* For a test that cannot go on: report, plan, exit. */
#define BAIL_OUT(...) do {						\
	printf("Bail out! " __VA_ARGS__); printf("\n"); exit(EXIT_FAILURE); \
} while (0)

#endif /* TESTS_TAP_H */
