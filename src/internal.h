/* SPDX-License-Identifier: MIT */
/*
 * internal.h - what the files of src/ share; not installed.
 */
#ifndef KREF_INTERNAL_H
#define KREF_INTERNAL_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

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

/* @addr as the kernel's %ps names a function: its symbol when @addr is
 * where one starts and the dynamic symbol table has it (link with -rdynamic
 * for a program's own), else "OBJECT+0xOFFSET" for addr2line, else the
 * address. */
void kref_report_symbol(const void *addr, char *buf, size_t room);

/* Ends a report: abort() if KREF_ABORT is set to anything but "" or "0". */
void kref_report_end(void);

/* The calling thread's id, as gdb and top show it; a forked child must
 * forget the id it inherited. */
int kref_thread_id(void);
void kref_thread_id_forget(void);

/* For refcount_warn_default(): under KREF_DEBUG, writes "  counter ..., at
 * FILE:LINE in FUNC(), thread N\n" for the operation running on this thread
 * into @buf and returns its length, or -1 if that (@type, site) was
 * reported already; 0 outside debug mode's operations. */
int kref_debug_site_line(const void *counter, int type, char *buf, size_t room);

/* Between these two calls (nested: the outermost pair counts) a saturation
 * does not run the warn handler: the outermost kref_internal_warn_let_go()
 * runs it, for each one seen (up to 4 nested; past that, at once).  Debug
 * mode holds the handler while it holds a lock of its own, since the
 * handler is the program's code, which must return. */
void kref_internal_warn_hold(void);
void kref_internal_warn_let_go(void);

/* For tests: the shape of debug mode's side table. */
struct kref_debug_table_stats_ {
	size_t records;		/* in the tables, released ones included */
	size_t buckets;
	size_t probes;		/* records examined to find each record once */
	size_t longest;		/* the longest chain */
	size_t released;	/* in the released FIFOs */
};
void kref_debug_table_stats_(struct kref_debug_table_stats_ *stats);

/* For tests: how many scope-based references this thread has recorded. */
unsigned int kref_debug_scope_depth_(void);

/* percpu_lock.c: a lock whose word holds its owner's pthread_self(), so
 * that a thread (or a signal handler on it) can tell it holds it; zero is
 * unlocked.  Contended, threads sleep on a futex. */
struct kref_lock {
	_Atomic uintptr_t owner;
	atomic_uint waiters;	/* threads that may sleep on wake */
	atomic_uint wake;	/* the futex word: bumped by a release */
};
void kref_lock(struct kref_lock *l);
void kref_unlock(struct kref_lock *l);
bool kref_lock_mine(struct kref_lock *l);
/* Sleeps while *@word == @seen (or not at all); wakes up to @nr sleepers. */
void kref_futex_wait(atomic_uint *word, unsigned int seen);
void kref_futex_wake(atomic_uint *word, int nr);

/* percpu_alloc.c: per-CPU counters for one ref, zeroed, at CPU 0's
 * counter (percpu.h says where the others are), or NULL; *@chunk is for
 * kref_percpu_free(), which is never called with percpu.c's switch lock
 * held.  The lock is for fork handlers.  @mode_word is the ref's
 * percpu_count_ptr: the counters' page offset differs from its (no 4K
 * aliasing in the fast path, docs/percpu.md). */
unsigned long *kref_percpu_alloc(void **chunk, const void *mode_word);
void kref_percpu_free(unsigned long *counters, void *chunk);
void kref_percpu_zero(unsigned long *counters);
void kref_percpu_alloc_lock(void);
void kref_percpu_alloc_unlock(void);
bool kref_percpu_alloc_mine(void);

/* For the bench and tests: true hands out slots whatever their page
 * offset, as before issue 19 (set it while no other thread allocates). */
extern bool kref_percpu_alias_blind_;

/* For tests: chunks mapped, and slots handed out. */
void kref_percpu_alloc_stats_(size_t *chunks, size_t *used);

#pragma GCC visibility pop

#endif /* KREF_INTERNAL_H */
