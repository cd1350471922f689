/* SPDX-License-Identifier: MIT */
/*
 * debug_internal.h - what the files of debug mode (libkref-debug) share;
 * not installed.
 *
 *   debug_table.c   the side table: one record per tracked kref
 *   debug_alloc.c   the allocator watch: is a released kref's memory freed?
 *   debug_report.c  reports of broken rules, and of leaks
 *   debug_scope.c   the scope-based references of kref/cleanup.h
 *   debug.c         the operations behind the kref_* macros
 */
#ifndef KREF_DEBUG_INTERNAL_H
#define KREF_DEBUG_INTERNAL_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include <kref/kref.h>
#include <kref/debug_site.h>
#include "internal.h"
#include "debug_stack.h"

#pragma GCC visibility push(hidden)

#define DEBUG_HISTORY	8

enum op { OP_INIT, OP_GET, OP_GET_UNLESS_ZERO, OP_GET_UNLESS_ZERO_FAILED,
	  OP_PUT, OP_FINAL_PUT, OP_ESCAPE, OP_FREED };

/* One operation: where (the call's site, and the chain of calls that led
 * to it), by which thread, and the count right after it. */
struct event {
	const struct kref_site *site;
	kref_chain_t chain;
	int tid;
	int count;
};

/* Record flags. */
enum { HASHED = 1, RELEASED = 2, QUEUED = 4, LEAK_REPORTED = 8 };

struct record {
	struct record *next;	/* hash chain */
	const struct kref *kref;
	uint32_t events;	/* ever recorded; the last DEBUG_HISTORY are kept */
	uint16_t generation;	/* of the process that initialised it */
	uint8_t flags;
	uint8_t op[DEBUG_HISTORY];	/* enum op of history[i] */
	struct event init, final_put;
	struct event history[DEBUG_HISTORY];
};

struct stripe;

/* ---- debug_table.c ---------------------------------------------------- */

/* Locks @kref's stripe (*@sp) and returns its record, or NULL.  If this
 * thread holds that stripe already (a signal handler's operation), *@sp
 * is NULL: the operation runs untracked.  debug_unlock() takes either. */
struct record *debug_lock_record(const struct kref *kref, struct stripe **sp);
void debug_unlock(struct stripe *s);
/* A new record for @kref in the locked @s, or NULL if out of memory or
 * @s is NULL. */
struct record *debug_insert(struct stripe *s, const struct kref *kref);
/* Takes @rec out of the table (and out of the allocator watch). */
void debug_forget(struct stripe *s, struct record *rec);
/* Remembers @rec as released at @e, for a later misuse's report. */
void debug_mark_released(struct stripe *s, struct record *rec, struct event e);
void debug_record_event(struct record *rec, enum op op, struct event e);
struct event debug_event_now(const struct kref_site *site, kref_chain_t chain,
			     const struct kref *kref);
/* The chain of the program's calls that led to the kref_debug_* entry point
 * this is written in. */
#define debug_chain_here() \
	kref_chain_capture_(__builtin_return_address(0), __builtin_frame_address(0))
/* The fork generation of this process (its leak reports' objects). */
uint16_t debug_generation(void);
/* Calls @fn on every record of this generation not released, each under
 * its stripe's lock. */
void debug_for_each_live(void (*fn)(struct record *rec, void *arg), void *arg);
/* fork(): the child drops what other threads were changing, and starts a
 * new generation. */
void debug_table_fork_child(void);

/* ---- debug_alloc.c ---------------------------------------------------- */

/*
 * What the allocator watch knows of the memory of a tracked kref.  It is
 * told at each kref_init (watch), and sees every free() and every block
 * malloc() hands out: a block freed over a watched kref makes it FREED; a
 * block handed out over it again ends the watch (NONE: the memory is
 * someone else's).  KEPT: watched, not freed.
 */
enum watch_state { WATCH_NONE, WATCH_KEPT, WATCH_FREED };

void debug_watch(const struct kref *kref);
void debug_unwatch(const struct kref *kref);
enum watch_state debug_watch_state(const struct kref *kref);
/* True once the program's malloc and free are seen to come through the
 * watch (it is linked into the program ahead of the allocator). */
bool debug_watch_active(void);
void debug_alloc_fork_child(void);

/*
 * What the memory of a released kref holds now: a live count (REUSED: a
 * new object that debug mode did not see initialised took its place), the
 * released count 0 (ZERO: not freed yet, as under RCU), or nothing usable
 * (DEAD: freed, as the watch or AddressSanitizer says, unmapped, or a count
 * saturated by a misuse since).  Reads the memory only where neither the
 * watch nor ASan says it was freed, and then without faulting.
 */
enum released_memory { MEM_REUSED, MEM_ZERO, MEM_DEAD };
enum released_memory debug_released_memory(const struct kref *kref);

/* ---- debug_report.c --------------------------------------------------- */

/* A rule broken by @now on the object of @rec: each site with its chain. */
void debug_report_rule(const char *what, const char *rule,
		       const struct event *now, const struct record *rec);
extern const char debug_rule_get[], debug_rule_put[];
void debug_report_start(void);

/* ---- debug.c, for debug_scope.c --------------------------------------- */

/* Records @site as the place where a reference to the tracked object
 * whose kref is @kref escaped its scope (no_free_ptr() and the like);
 * false, with nothing read at @kref, if no live tracked object has its
 * kref there. */
bool kref_debug_record_escape_(const struct kref *kref,
			       const struct kref_site *site);

#pragma GCC visibility pop

#endif /* KREF_DEBUG_INTERNAL_H */
