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

/* Older names, for the scope code below. */
#define lock_record	debug_lock_record
#define record_event	debug_record_event
#define event_now	debug_event_now

/* ---- fork ------------------------------------------------------------- */

/*
 * fork() waits for every thread inside a table operation, so the child
 * inherits consistent tables and no lock held by a thread that does not
 * exist there.  Table locks first, then the allocator watch's: the order
 * a table operation that frees a record takes them in.
 */
static void fork_prepare(void)
{
	debug_table_fork_prepare();
	debug_alloc_fork_prepare();
}

static void fork_parent(void)
{
	debug_alloc_fork_parent();
	debug_table_fork_parent();
}

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

	pthread_atfork(fork_prepare, fork_parent, fork_child);
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
	struct stripe *s;
	struct record *rec;
	struct event e;
	int before = 0;

	kref_debug_start_();	/* in case no constructor ran */
	rec = lock_record(kref, &s);
	if (rec && !(rec->flags & RELEASED))
		before = (int)kref_read(kref);
	(kref_init)(kref);
	e = event_now(site, kref);
	if (rec && ((rec->flags & RELEASED) || debug_recently_allocated(kref))) {
		debug_forget(s, rec);
		rec = NULL;
	} else if (rec && before != 0) {
		debug_report_rule("kref_init on an object that is still "
				  "referenced; its references are lost",
				  debug_rule_put, &e, rec,
				  __builtin_return_address(0));
	}
	/* A live record whose count was 0: the final put ran in a unit built
	 * without KREF_DEBUG.  The record starts over for the new object. */
	if (!rec && !(rec = debug_insert(s, kref))) {
		debug_unlock(s);	/* untracked, still counted */
		return;
	}
	rec->generation = debug_generation();
	rec->flags &= (uint8_t)~LEAK_REPORTED;
	rec->init = e;
	rec->events = 0;
	record_event(rec, OP_INIT, e);
	debug_unlock(s);
}

void kref_debug_get(struct kref *kref, const struct kref_site *site)
{
	struct stripe *s;
	struct record *rec = lock_record(kref, &s);

	rec = current(s, rec, kref);
	if (rec && (rec->flags & RELEASED)) {
		struct event e = { site, kref_thread_id(), 0 };

		debug_report_rule("get after the final put (use after free)",
				  debug_rule_get, &e, rec,
				  __builtin_return_address(0));
		debug_unlock(s);
		return;
	}
	kref_debug_site = site;
	(kref_get)(kref);
	kref_debug_site = NULL;
	if (rec)
		record_event(rec, OP_GET, event_now(site, kref));
	debug_unlock(s);
}

int kref_debug_get_unless_zero(struct kref *kref, const struct kref_site *site)
{
	struct stripe *s;
	struct record *rec = lock_record(kref, &s);
	int got;

	if (rec && (rec->flags & RELEASED)) {
		enum released_memory m = debug_released_memory(kref);
		struct event e = { site, kref_thread_id(), 0 };

		if (m == MEM_REUSED) {
			debug_forget(s, rec);
			rec = NULL;
		} else {
			/* A correct lookup under RCU finds the count at 0:
			 * the memory is freed after the grace period. */
			if (m == MEM_DEAD)
				debug_report_rule("kref_get_unless_zero after "
						  "the final put (use after free)",
						  debug_rule_get, &e, rec,
						  __builtin_return_address(0));
			else
				record_event(rec, OP_GET_UNLESS_ZERO_FAILED, e);
			debug_unlock(s);
			return 0;
		}
	}
	kref_debug_site = site;
	got = (kref_get_unless_zero)(kref);
	kref_debug_site = NULL;
	if (rec)
		record_event(rec, got ? OP_GET_UNLESS_ZERO :
			     OP_GET_UNLESS_ZERO_FAILED, event_now(site, kref));
	debug_unlock(s);
	return got;
}

/*
 * @rec made current.  A put on a released object is reported and must
 * not be performed: true then, with the stripe unlocked.
 */
static bool put_after_release(struct stripe *s, struct record **rec,
			      const struct kref_site *site,
			      const struct kref *kref, const void *caller)
{
	*rec = current(s, *rec, kref);
	if (!*rec || !((*rec)->flags & RELEASED))
		return false;
	struct event e = { site, kref_thread_id(), 0 };

	debug_report_rule("put after the final put (double put)",
			  debug_rule_put, &e, *rec, caller);
	debug_unlock(s);
	return true;
}

/* Records a put done under the stripe lock, then unlocks it. */
static void record_put(struct stripe *s, struct record *rec, bool last,
		       const struct kref_site *site, const struct kref *kref)
{
	if (rec) {
		struct event e = event_now(site, kref);

		record_event(rec, last ? OP_FINAL_PUT : OP_PUT, e);
		if (last)
			debug_mark_released(s, rec, e);
	}
	debug_unlock(s);
}

int kref_debug_put(struct kref *kref, void (*release)(struct kref *kref),
		   const struct kref_site *site)
{
	struct stripe *s;
	struct record *rec = lock_record(kref, &s);
	bool last;

	if (put_after_release(s, &rec, site, kref, __builtin_return_address(0)))
		return 0;
	kref_debug_site = site;
	last = (refcount_dec_and_test)(&kref->refcount);
	kref_debug_site = NULL;
	record_put(s, rec, last, site, kref);
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
		      const struct kref_site *site, const void *caller)
{
	struct stripe *s;
	struct record *rec = lock_record(kref, &s);
	bool last;

	if (put_after_release(s, &rec, site, kref, caller))
		return 0;
	kref_debug_site = site;
	if ((refcount_dec_not_one)(&kref->refcount)) {
		kref_debug_site = NULL;
		record_put(s, rec, false, site, kref);
		return 0;
	}
	kref_debug_site = NULL;
	debug_unlock(s);

	lock(l);
	/* Anything may have happened meanwhile: look again. */
	rec = lock_record(kref, &s);
	if (put_after_release(s, &rec, site, kref, caller)) {
		unlock(l);
		return 0;
	}
	kref_debug_site = site;
	last = (refcount_dec_and_test)(&kref->refcount);
	kref_debug_site = NULL;
	record_put(s, rec, last, site, kref);
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
			  __builtin_return_address(0));
}

int kref_debug_put_lock(struct kref *kref, void (*release)(struct kref *kref),
			pthread_spinlock_t *lock, const struct kref_site *site)
{
	return put_locked(kref, release, spin_lock, spin_unlock,
			  (void *)lock, site, __builtin_return_address(0));
}

/* ---- scope-based references (kref/cleanup.h) ------------------------ */

/*
 * Each thread's live scope-based references, newest last: where each was
 * declared, so that its put at scope exit is recorded there, and where the
 * kref sits in the object, so that no_free_ptr() can record an escape.
 * A CLASS() entry is found by its variable's address.  A __free() entry
 * cannot be: its note runs in the variable's initialiser, which does not
 * know the variable's name.  It is found by the frame of the function that
 * declared it (its cleanup is inlined there): scope exits within one
 * activation are last-in first-out, and a frame is unique among the live
 * ones, so entries that a longjmp() left above it are dropped when found.
 * Allocated on a thread's first use, so that threads of programs that do
 * not use debug mode carry nothing.
 */
#define SCOPE_DEPTH 256

struct scope_entry {
	const void *var;		/* CLASS(): the variable; __free(): NULL */
	const void *frame;		/* __free(): the declaring frame */
	void *value;			/* __free(): the initial value */
	long kref_offset;		/* of the kref in the object */
	const struct kref_site *site;	/* the declaration */
};

struct scope_stack {
	unsigned int depth;
	struct scope_entry entry[SCOPE_DEPTH];
};

static _Thread_local struct scope_stack *scope_stack;
static pthread_key_t scope_key;
static pthread_once_t scope_once = PTHREAD_ONCE_INIT;

static void scope_stack_free(void *st)
{
	free(st);
	scope_stack = NULL;	/* a later destructor may declare scopes */
}

static void scope_key_create(void)
{
	pthread_key_create(&scope_key, scope_stack_free);
}

static struct scope_stack *scopes(void)
{
	if (!scope_stack) {
		pthread_once(&scope_once, scope_key_create);
		scope_stack = calloc(1, sizeof(*scope_stack));
		if (scope_stack)
			pthread_setspecific(scope_key, scope_stack);
	}
	return scope_stack;
}

void **kref_debug_scope_enter_(const void *var, const void *frame,
			       long kref_offset, const struct kref_site *site)
{
	static _Thread_local void *unrecorded;
	struct scope_stack *st = scopes();
	struct scope_entry *e;

	if (!st || st->depth == SCOPE_DEPTH) {
		unrecorded = NULL;	/* what a declaration without value gets */
		return &unrecorded;
	}
	e = &st->entry[st->depth++];
	*e = (struct scope_entry){ var, frame, NULL, kref_offset, site };
	return &e->value;
}

/* With @frame, the newest __free() entry of that frame; else @var's. */
static struct scope_entry *scope_find(struct scope_stack *st, unsigned int from,
				      const void *var, const void *frame)
{
	while (from-- > 0) {
		struct scope_entry *e = &st->entry[from];

		if (frame ? !e->var && e->frame == frame : e->var == var)
			return e;
	}
	return NULL;
}

const struct kref_site *kref_debug_scope_exit_(const void *var, const void *frame,
					       const struct kref_site *fallback)
{
	struct scope_stack *st = scope_stack;
	struct scope_entry *e = st ? scope_find(st, st->depth, var, frame) : NULL;

	if (!e)
		return fallback;
	st->depth = (unsigned int)(e - st->entry);
	return e->site;
}

/* Records @site as an escape on the tracked object whose kref is @kref;
 * false if there is none there (then nothing is read at @kref). */
static bool record_escape(const struct kref *kref, const struct kref_site *site)
{
	struct stripe *s;
	struct record *rec = lock_record(kref, &s);
	bool live = rec && !(rec->flags & RELEASED);

	if (live)
		record_event(rec, OP_ESCAPE, event_now(site, kref));
	debug_unlock(s);
	return live;
}

/* In integers: the offset tried may be another variable's type's. */
static const struct kref *kref_at(const void *object, long offset)
{
	return (const struct kref *)((uintptr_t)object + (uintptr_t)offset);
}

void kref_debug_scope_escape_(const void *var, const void *frame,
			      const void *value, const struct kref_site *site)
{
	struct scope_stack *st = scope_stack;
	struct scope_entry *e;

	if (!st || !value || (uintptr_t)value >= (uintptr_t)-4095)
		return;
	/* A CLASS() variable is known by its address. */
	e = scope_find(st, st->depth, var, NULL);
	if (e) {
		record_escape(kref_at(value, e->kref_offset), site);
		return;
	}
	/*
	 * A __free() variable is one of its frame's: the one it was
	 * initialised with @value first, then the others (it may have been
	 * assigned since).  Only a live tracked kref at the offset counts.
	 */
	for (int pass = 0; pass < 2; pass++)
		for (unsigned int i = st->depth; (e = scope_find(st, i, NULL, frame));
		     i = (unsigned int)(e - st->entry))
			if ((e->value == value) == !pass &&
			    record_escape(kref_at(value, e->kref_offset), site))
				return;
}


/* ---- for the tests ---------------------------------------------------- */

unsigned int kref_debug_scope_depth_(void)
{
	return scope_stack ? scope_stack->depth : 0;
}
