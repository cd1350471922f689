/* SPDX-License-Identifier: MIT */
/*
 * internal.h - what report.c and debug.c share; not installed.
 */
#ifndef KREF_INTERNAL_H
#define KREF_INTERNAL_H

#include <stdatomic.h>

/* For the library's own files: not exported from libkref.so. */
#pragma GCC visibility push(hidden)

/* Writes @len bytes of a report to stderr in one write. */
void kref_report_write(const char *text, int len);

/* Prints a backtrace to stderr, from the frame returning to @from on (all
 * of it if @from is not on the stack). */
void kref_report_backtrace(const void *from);

/* Prints "@text\n" and a backtrace from @from, the first time @done is
 * passed (the kernel's WARN_ONCE); then ends the report. */
void kref_report_once(atomic_bool *done, const char *text, const void *from);

/* Every call of kref_report_once(), printed or not: how a statically
 * linked test (tests/fuzz/) sees the reports after the first. */
extern atomic_ulong kref_report_once_calls;

/* Ends a report: abort() if KREF_ABORT is set to anything but "" or "0". */
void kref_report_end(void);

/* The calling thread's id, as gdb and top show it. */
int kref_thread_id(void);

#pragma GCC visibility pop

#endif /* KREF_INTERNAL_H */
