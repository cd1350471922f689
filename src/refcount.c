/* SPDX-License-Identifier: MIT */
/*
 * refcount.c - refcount_t's one out-of-line piece: what happens when a
 * counter saturates (the handler, and the default report).
 */
#include <stdatomic.h>
#include <stdio.h>

#include <kref/debug_site.h>
#include <kref/refcount.h>
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

/*
 * Saturations seen while debug mode holds a lock of its own: their handler
 * (the program's code, which may fork or call libkref) runs once the
 * outermost hold is let go.  A signal handler's operation nests a hold:
 * its saturations queue behind the interrupted one's.  Only this thread,
 * and signal handlers on it, touch this: signal fences order it.
 */
#define HELD_MAX	4	/* one per nested operation: more than enough */
static _Thread_local struct {
	unsigned int depth;	/* holds not let go, plus 1 while draining */
	unsigned int n;		/* saturations waiting in q[0..n) */
	struct {
		refcount_t *counter;
		enum refcount_saturation_type type;
		const struct kref_site *site;
	} q[HELD_MAX];
} held;

void refcount_warn_default(refcount_t *r, enum refcount_saturation_type t)
{
	bool known = (unsigned int)t < REFCOUNT_EVENT_TYPES;
	char text[512];
	int len, site;

	len = snprintf(text, sizeof(text), "refcount_t: %s.\n",
		       known ? refcount_event_text[t] : "unknown saturation event!?");
	/* Under KREF_DEBUG, once per (type, call site) and naming the site;
	 * otherwise once per type, as the kernel's WARN_ONCE. */
	site = kref_debug_site_line(r, (int)t, text + len, sizeof(text) - (size_t)len);
	if (site < 0)
		return;
	/* Relaxed: the flag only decides who prints; it guards no data. */
	if (!site && known && atomic_exchange_explicit(&warned[t], true,
							memory_order_relaxed))
		return;
	len += site;
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

static void run_handler(refcount_t *r, enum refcount_saturation_type t)
{
	/* Acquire: pairs with the exchange in refcount_set_warn_handler(). */
	refcount_warn_handler_t fn = atomic_load_explicit(&warn_handler,
							  memory_order_acquire);

	fn(r, t);
}

void refcount_warn_saturate(refcount_t *r, enum refcount_saturation_type t)
{
	report_site = __builtin_return_address(0);
	/* Relaxed: saturation is a one-way latch that publishes nothing. */
	refcount_set(r, REFCOUNT_SATURATED);
	if (held.depth && held.n < HELD_MAX) {
		held.q[held.n].counter = r;
		held.q[held.n].type = t;
		held.q[held.n].site = kref_debug_site;
		atomic_signal_fence(memory_order_seq_cst);
		held.n++;
		return;
	}
	run_handler(r, t);
}

void kref_internal_warn_hold(void)
{
	held.depth++;
	atomic_signal_fence(memory_order_seq_cst);
}

/*
 * The outermost let-go runs what waits, still counted as a hold, so that
 * a signal handler's saturation meanwhile waits its turn instead of
 * running twice or being lost; then looks once more after letting go.
 */
void kref_internal_warn_let_go(void)
{
	const struct kref_site *site = kref_debug_site;

	if (held.depth > 1) {
		held.depth--;
		return;
	}
	report_site = __builtin_return_address(0);
	for (;;) {
		while (held.n) {
			refcount_t *r = held.q[held.n - 1].counter;
			enum refcount_saturation_type t = held.q[held.n - 1].type;

			kref_debug_site = held.q[held.n - 1].site;
			atomic_signal_fence(memory_order_seq_cst);
			held.n--;
			atomic_signal_fence(memory_order_seq_cst);
			run_handler(r, t);	/* the default one names the site */
		}
		kref_debug_site = site;
		held.depth = 0;
		atomic_signal_fence(memory_order_seq_cst);
		if (!held.n)
			return;
		held.depth = 1;
	}
}
