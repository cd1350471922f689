/* SPDX-License-Identifier: MIT */
/*
 * report.c - writing a report: one write to stderr, a backtrace from the
 * misused call, the kernel's WARN_ONCE, and KREF_ABORT.  Shared by every
 * family's slow paths and by debug mode.
 */
#define _GNU_SOURCE
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#if defined(__GLIBC__)
#include <dlfcn.h>
#include <execinfo.h>
#endif

#include <kref/debug_site.h>
#include "internal.h"

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

void kref_report_symbol(const void *addr, char *buf, size_t room)
{
#if defined(__GLIBC__)
	Dl_info info;

	if (dladdr(addr, &info)) {
		if (info.dli_sname && info.dli_saddr == addr) {
			snprintf(buf, room, "%s", info.dli_sname);
			return;
		}
		if (info.dli_fname && info.dli_fbase) {
			snprintf(buf, room, "%s+%#lx", info.dli_fname,
				 (unsigned long)((uintptr_t)addr -
						 (uintptr_t)info.dli_fbase));
			return;
		}
	}
#endif
	snprintf(buf, room, "%p", addr);
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

static _Thread_local int tid;

int kref_thread_id(void)
{
	if (!tid)
		tid = (int)syscall(SYS_gettid);
	return tid;
}

void kref_thread_id_forget(void)
{
	tid = 0;
}

/* ---- the site of the operation running on this thread (debug mode) --- */

KREF_THREAD_LOCAL const struct kref_site *kref_debug_site;

/*
 * Debug mode reports each (event type, call site) once.  Lock-free, so a
 * fork never inherits it locked; a full row reports rather than stays
 * silent.
 */
#define SEEN_TYPES	6	/* refcount_t's five, and any other */
#define SEEN_SITES	64
static atomic_uintptr_t seen_sites[SEEN_TYPES][SEEN_SITES];

static bool first_at_site(int type, const struct kref_site *site)
{
	atomic_uintptr_t *row = seen_sites[(unsigned int)type < SEEN_TYPES - 1 ?
					   type : SEEN_TYPES - 1];
	size_t i = (size_t)(((uintptr_t)site * 0x9E3779B97F4A7C15ull) >> 58);

	for (size_t n = 0; n < SEEN_SITES; n++, i = (i + 1) % SEEN_SITES) {
		uintptr_t old = 0;

		/* Relaxed: the slot only decides who prints; it guards no data. */
		if (atomic_compare_exchange_strong_explicit(&row[i], &old,
							    (uintptr_t)site,
							    memory_order_relaxed,
							    memory_order_relaxed))
			return true;
		if (old == (uintptr_t)site)
			return false;
	}
	return true;
}

int kref_debug_site_line(const void *counter, int type, char *buf, size_t room)
{
	const struct kref_site *site = kref_debug_site;

	if (!site)
		return 0;
	if (!first_at_site(type, site))
		return -1;
	return snprintf(buf, room, "  counter %p, at %s:%d in %s(), thread %d\n",
			counter, site->file, site->line, site->func,
			kref_thread_id());
}

/*
 * Without debug mode nothing is tracked, so nothing leaks: this stands in
 * for libkref-debug's kref_debug_report_leaks(), which a program built
 * with KREF_DEBUG links, and which takes precedence (weak).
 */
__attribute__((weak, visibility("default")))
unsigned long kref_debug_report_leaks(void)
{
	return 0;
}
