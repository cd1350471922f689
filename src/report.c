/* SPDX-License-Identifier: MIT */
/*
 * report.c - what happens when a refcount_t saturates: the one piece of
 * refcount_t that is out of line.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#if defined(__GLIBC__)
#include <execinfo.h>
#endif

#include <kref/debug.h>
#include "internal.h"

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

/* Debug mode reports each (type, call site) once, not each type. */
#define SEEN_SITES 256
static struct {
	pthread_mutex_t lock;
	unsigned int n;
	struct { const struct kref_site *site; int type; } seen[SEEN_SITES];
} seen_sites = { .lock = PTHREAD_MUTEX_INITIALIZER };

void kref_report_write(const char *text, int len)
{
	if (len > 0 && write(STDERR_FILENO, text, (size_t)len) < 0)
		return;
}

void kref_report_backtrace(const void *from)
{
#if defined(__GLIBC__)
	void *frames[64];
	int n = backtrace(frames, 64), first = 0;

	/* Bit 0 ignored: ARM's unwinder clears the Thumb bit that
	 * __builtin_return_address() keeps. */
	for (int i = 0; i < n; i++)
		if (((uintptr_t)frames[i] | 1) == ((uintptr_t)from | 1))
			first = i;
	backtrace_symbols_fd(frames + first, n - first, STDERR_FILENO);
#else
	(void)from;
#endif
}

void kref_report_end(void)
{
	const char *v = getenv("KREF_ABORT");

	if (v && *v && strcmp(v, "0") != 0)
		abort();
}

atomic_ulong kref_report_once_calls;

void kref_report_once(atomic_bool *done, const char *text, const void *from)
{
	char line[256];

	/* Relaxed: a count for tests; it orders nothing. */
	atomic_fetch_add_explicit(&kref_report_once_calls, 1, memory_order_relaxed);
	/* Relaxed: the flag only decides who prints; it guards no data. */
	if (atomic_exchange_explicit(done, true, memory_order_relaxed))
		return;
	kref_report_write(line, snprintf(line, sizeof(line), "%s\n", text));
	kref_report_backtrace(from);
	kref_report_end();
}

int kref_thread_id(void)
{
	static _Thread_local int tid;

	if (!tid)
		tid = (int)syscall(SYS_gettid);
	return tid;
}

/* True the first time (@t, @site) is seen; a full table says true. */
static bool first_at_site(enum refcount_saturation_type t,
			  const struct kref_site *site)
{
	bool first = true;

	pthread_mutex_lock(&seen_sites.lock);
	for (unsigned int i = 0; i < seen_sites.n && first; i++)
		first = seen_sites.seen[i].site != site ||
			seen_sites.seen[i].type != (int)t;
	if (first && seen_sites.n < SEEN_SITES) {
		seen_sites.seen[seen_sites.n].site = site;
		seen_sites.seen[seen_sites.n++].type = (int)t;
	}
	pthread_mutex_unlock(&seen_sites.lock);
	return first;
}

void refcount_warn_default(refcount_t *r, enum refcount_saturation_type t)
{
	const struct kref_site *site = kref_debug_site;
	bool known = (unsigned int)t < REFCOUNT_EVENT_TYPES;
	char text[512];
	int len;

	if (site ? !first_at_site(t, site) :
	    /* Relaxed: the flag only decides who prints; it guards no data. */
	    known && atomic_exchange_explicit(&warned[t], true,
					      memory_order_relaxed))
		return;

	len = snprintf(text, sizeof(text), "refcount_t: %s.\n",
		       known ? refcount_event_text[t] : "unknown saturation event!?");
	if (site)
		len += snprintf(text + len, sizeof(text) - (size_t)len,
				"  counter %p, at %s:%d in %s(), thread %d\n",
				(void *)r, site->file, site->line, site->func,
				kref_thread_id());
	kref_report_write(text, len < (int)sizeof(text) ? len : (int)sizeof(text) - 1);
	kref_report_backtrace(report_site);
	kref_report_end();
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
