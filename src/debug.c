/* SPDX-License-Identifier: MIT */
/*
 * debug.c - the operations behind debug mode's kref_* macros.
 *
 * Each records its call site in the object's record (debug_table.c) and
 * checks the rules.  A get or a put on an object after its final put is
 * reported and not performed: the memory is dead (freed, or holding a
 * released count), and touching it would be a use after free.  Otherwise
 * every operation is performed on the real counter, whatever the record
 * says, so objects shared with code built without KREF_DEBUG are counted
 * correctly.  When a released object's memory holds a live count, a new
 * object that debug mode did not see initialised took its place (a
 * KREF_INIT object, one initialised in a unit built without KREF_DEBUG,
 * a reused stack slot): the old record is forgotten, nothing is reported.
 * Operations are called by their parenthesised names: the macros of
 * kref/debug.h must not apply here.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdlib.h>

#include <kref.h>
#include <kref/debug.h>
#include "debug_internal.h"

static pthread_once_t start_once = PTHREAD_ONCE_INIT;

/* ---- fork ------------------------------------------------------------- */

/* fork() waits for no lock of debug mode's: the child drops what other
 * threads were in the middle of (debug_table.c, debug_alloc.c). */
static void fork_child(void)
{
	debug_alloc_fork_child();
	kref_thread_id_forget();
	debug_table_fork_child();
}

/* AddressSanitizer's, when the program runs under it. */
int __asan_address_is_poisoned(void const volatile *addr) __attribute__((weak));

static void start(void)
{
	static const char blind[] =
		"kref: debug mode cannot watch this program's allocator (a "
		"malloc() of the program's own comes first): a get or put on "
		"freed memory may go unreported\n";

	pthread_atfork(NULL, NULL, fork_child);
	debug_report_start();
	if (!debug_watch_active() && !__asan_address_is_poisoned)
		kref_report_write(blind, (int)sizeof(blind) - 1);
}

void kref_debug_start_(void)
{
	pthread_once(&start_once, start);
}

/* ---- the operations --------------------------------------------------- */

/*
 * @rec if it is the record of the object at @kref.  A released record
 * whose memory holds a live count is a new object's place: forgotten, and
 * NULL returned.  Reliable when the caller holds a reference, as a correct
 * get or put does: its own reference keeps the count live.
 */
static struct record *current(struct stripe *s, struct record *rec,
			      const struct kref *kref)
{
	if (rec && (rec->flags & RELEASED) &&
	    debug_released_memory(kref) == MEM_REUSED) {
		debug_forget(s, rec);
		return NULL;
	}
	return rec;
}

void kref_debug_init(struct kref *kref, const struct kref_site *site)
{
	kref_chain_t chain = debug_chain_here();
	struct stripe *s;
	struct record *rec;
	struct event e;
	int before = 0;

	kref_debug_start_();	/* in case no constructor ran */
	rec = debug_lock_record(kref, &s);
	if (rec && !(rec->flags & RELEASED))
		before = (int)kref_read(kref);
	(kref_init)(kref);
	e = debug_event_now(site, chain, kref);
	/* A record whose object's memory was freed, or freed and handed out
	 * again (an object freed after kref_init on an error path, never
	 * published), is the old object's: it starts over. */
	if (rec && ((rec->flags & RELEASED) ||
		    debug_watch_state(kref) != WATCH_KEPT)) {
		debug_forget(s, rec);
		rec = NULL;
	} else if (rec && before != 0) {
		debug_report_rule("kref_init on an object that is still "
				  "referenced; its references are lost",
				  debug_rule_put, &e, rec);
	}
	/* A live record whose count was 0: the final put ran in a unit built
	 * without KREF_DEBUG.  The record starts over for the new object. */
	if (!rec) {
		if (!(rec = debug_insert(s, kref))) {
			debug_unlock(s);	/* untracked, still counted */
			return;
		}
		debug_watch(kref);
	}
	rec->generation = debug_generation();
	rec->flags &= (uint8_t)~LEAK_REPORTED;
	rec->init = e;
	rec->events = 0;
	debug_record_event(rec, OP_INIT, e);
	debug_unlock(s);
}

void kref_debug_get(struct kref *kref, const struct kref_site *site)
{
	kref_chain_t chain = debug_chain_here();
	struct stripe *s;
	struct record *rec = debug_lock_record(kref, &s);

	rec = current(s, rec, kref);
	if (rec && (rec->flags & RELEASED)) {
		struct event e = { site, chain, kref_thread_id(), 0 };

		debug_report_rule("get after the final put (use after free)",
				  debug_rule_get, &e, rec);
		debug_unlock(s);
		return;
	}
	kref_debug_site = site;
	(kref_get)(kref);
	kref_debug_site = NULL;
	if (rec)
		debug_record_event(rec, OP_GET, debug_event_now(site, chain, kref));
	debug_unlock(s);
}

int kref_debug_get_unless_zero(struct kref *kref, const struct kref_site *site)
{
	kref_chain_t chain = debug_chain_here();
	struct stripe *s;
	struct record *rec = debug_lock_record(kref, &s);
	int got;

	if (rec && (rec->flags & RELEASED)) {
		enum released_memory m = debug_released_memory(kref);
		struct event e = { site, chain, kref_thread_id(), 0 };

		if (m == MEM_REUSED) {
			debug_forget(s, rec);
			rec = NULL;
		} else {
			/* A correct lookup under RCU finds the count at 0:
			 * the memory is freed after the grace period. */
			if (m == MEM_DEAD)
				debug_report_rule("kref_get_unless_zero after "
						  "the final put (use after free)",
						  debug_rule_get, &e, rec);
			else
				debug_record_event(rec, OP_GET_UNLESS_ZERO_FAILED, e);
			debug_unlock(s);
			return 0;
		}
	}
	kref_debug_site = site;
	got = (kref_get_unless_zero)(kref);
	kref_debug_site = NULL;
	if (rec)
		debug_record_event(rec, got ? OP_GET_UNLESS_ZERO :
			     OP_GET_UNLESS_ZERO_FAILED,
			     debug_event_now(site, chain, kref));
	debug_unlock(s);
	return got;
}

/*
 * @rec made current.  A put on a released object is reported and must
 * not be performed: true then, with the stripe unlocked.
 */
static bool put_after_release(struct stripe *s, struct record **rec,
			      const struct kref_site *site, kref_chain_t chain,
			      const struct kref *kref)
{
	*rec = current(s, *rec, kref);
	if (!*rec || !((*rec)->flags & RELEASED))
		return false;
	struct event e = { site, chain, kref_thread_id(), 0 };

	debug_report_rule("put after the final put (double put)",
			  debug_rule_put, &e, *rec);
	debug_unlock(s);
	return true;
}

/* Records a put done under the stripe lock, then unlocks it. */
static void record_put(struct stripe *s, struct record *rec, bool last,
		       const struct kref_site *site, kref_chain_t chain,
		       const struct kref *kref)
{
	if (rec) {
		struct event e = debug_event_now(site, chain, kref);

		debug_record_event(rec, last ? OP_FINAL_PUT : OP_PUT, e);
		if (last)
			debug_mark_released(s, rec, e);
	}
	debug_unlock(s);
}

int kref_debug_put(struct kref *kref, void (*release)(struct kref *kref),
		   const struct kref_site *site)
{
	kref_chain_t chain = debug_chain_here();
	struct stripe *s;
	struct record *rec = debug_lock_record(kref, &s);
	bool last;

	if (put_after_release(s, &rec, site, chain, kref))
		return 0;
	kref_debug_site = site;
	last = (refcount_dec_and_test)(&kref->refcount);
	kref_debug_site = NULL;
	record_put(s, rec, last, site, chain, kref);
	if (last)
		release(kref);
	return last;
}

/*
 * kref_put_mutex and kref_put_lock: a put that is not the last needs no
 * lock; for the last, take the caller's lock and then the stripe's, the
 * order a lookup under the caller's lock follows when it calls kref_get.
 */
static int put_locked(struct kref *kref, void (*release)(struct kref *kref),
		      void (*lock)(void *), void (*unlock)(void *), void *l,
		      const struct kref_site *site, kref_chain_t chain)
{
	struct stripe *s;
	struct record *rec = debug_lock_record(kref, &s);
	bool last;

	if (put_after_release(s, &rec, site, chain, kref))
		return 0;
	kref_debug_site = site;
	if ((refcount_dec_not_one)(&kref->refcount)) {
		kref_debug_site = NULL;
		record_put(s, rec, false, site, chain, kref);
		return 0;
	}
	kref_debug_site = NULL;
	debug_unlock(s);

	lock(l);
	/* Anything may have happened meanwhile: look again. */
	rec = debug_lock_record(kref, &s);
	if (put_after_release(s, &rec, site, chain, kref)) {
		unlock(l);
		return 0;
	}
	kref_debug_site = site;
	last = (refcount_dec_and_test)(&kref->refcount);
	kref_debug_site = NULL;
	record_put(s, rec, last, site, chain, kref);
	if (!last) {
		unlock(l);
		return 0;
	}
	release(kref);	/* it unlocks l */
	return 1;
}

static void mutex_lock(void *m) { pthread_mutex_lock(m); }
static void mutex_unlock(void *m) { pthread_mutex_unlock(m); }
static void spin_lock(void *l) { pthread_spin_lock(l); }
static void spin_unlock(void *l) { pthread_spin_unlock(l); }

int kref_debug_put_mutex(struct kref *kref, void (*release)(struct kref *kref),
			 pthread_mutex_t *mutex, const struct kref_site *site)
{
	return put_locked(kref, release, mutex_lock, mutex_unlock, mutex, site,
			  debug_chain_here());
}

int kref_debug_put_lock(struct kref *kref, void (*release)(struct kref *kref),
			pthread_spinlock_t *lock, const struct kref_site *site)
{
	return put_locked(kref, release, spin_lock, spin_unlock,
			  (void *)lock, site, debug_chain_here());
}

/* ---- for kref/cleanup.h's scopes (debug_scope.c) -------------------- */

bool kref_debug_record_escape_(const struct kref *kref,
			       const struct kref_site *site)
{
	struct stripe *s;
	struct record *rec = debug_lock_record(kref, &s);
	bool live = rec && !(rec->flags & RELEASED);

	if (live)
		debug_record_event(rec, OP_ESCAPE,
				   debug_event_now(site, KREF_CHAIN_NONE, kref));
	debug_unlock(s);
	return live;
}
