/* SPDX-License-Identifier: MIT */
/*
 * report.c - what happens when a refcount_t saturates: the one piece of
 * refcount_t that is out of line.
 */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#if defined(__GLIBC__)
#include <execinfo.h>
#endif

#include <kref/refcount.h>

#define REFCOUNT_EVENT_TYPES	(REFCOUNT_DEC_LEAK + 1)

/* The kernel's words for each event, so a report greps like the kernel's. */
static const char *const refcount_event_text[REFCOUNT_EVENT_TYPES] = {
	[REFCOUNT_ADD_NOT_ZERO_OVF]	= "saturated; leaking memory",
	[REFCOUNT_ADD_OVF]		= "saturated; leaking memory",
	[REFCOUNT_ADD_UAF]		= "addition on 0; use-after-free",
	[REFCOUNT_SUB_UAF]		= "underflow; use-after-free",
	[REFCOUNT_DEC_LEAK]		= "decrement hit 0; leaking memory",
};

static _Atomic(refcount_warn_handler_t) warn_handler = refcount_warn_default;
static atomic_bool warned[REFCOUNT_EVENT_TYPES];

/* Where the misused operation was inlined: the backtrace starts there. */
static _Thread_local void *report_site;

static bool abort_requested(void)
{
	const char *v = getenv("KREF_ABORT");

	return v && *v && strcmp(v, "0") != 0;
}

/* The backtrace from the caller of refcount_warn_saturate() on; all of it
 * if that frame is not found (a handler called from elsewhere). */
static void print_backtrace(void)
{
#if defined(__GLIBC__)
	void *frames[64];
	int n = backtrace(frames, 64), first = 0;

	for (int i = 0; i < n; i++)
		if (frames[i] == report_site)
			first = i;
	backtrace_symbols_fd(frames + first, n - first, STDERR_FILENO);
#endif
}

void refcount_warn_default(refcount_t *r, enum refcount_saturation_type t)
{
	bool known = (unsigned int)t < REFCOUNT_EVENT_TYPES;
	char line[128];
	int len;

	(void)r;
	/* Relaxed: the flag only decides who prints; it guards no data. */
	if (known && atomic_exchange_explicit(&warned[t], true,
					      memory_order_relaxed))
		return;

	len = snprintf(line, sizeof(line), "refcount_t: %s.\n",
		       known ? refcount_event_text[t] : "unknown saturation event!?");
	if (write(STDERR_FILENO, line, (size_t)len) < 0)
		return;
	print_backtrace();
	if (abort_requested())
		abort();
}

refcount_warn_handler_t refcount_set_warn_handler(refcount_warn_handler_t fn)
{
	/* acq_rel: what the caller set up for @fn is visible to every thread
	 * that loads @fn below, and we see what the old handler's owner did. */
	return atomic_exchange_explicit(&warn_handler,
					fn ? fn : refcount_warn_default,
					memory_order_acq_rel);
}

void refcount_warn_saturate(refcount_t *r, enum refcount_saturation_type t)
{
	refcount_warn_handler_t fn;

	report_site = __builtin_return_address(0);
	/* Relaxed: saturation is a one-way latch that publishes nothing. */
	refcount_set(r, REFCOUNT_SATURATED);
	/* Acquire: pairs with the exchange in refcount_set_warn_handler(). */
	fn = atomic_load_explicit(&warn_handler, memory_order_acquire);
	fn(r, t);
}
