/* SPDX-License-Identifier: MIT */
/*
 * debug.c - the side table behind KREF_DEBUG.
 *
 * One record per kref initialised in debug mode, found by the kref's
 * address in a hash table whose buckets are split among STRIPES locks, so
 * operations on unrelated objects rarely contend and none takes a global
 * lock.  A record keeps where the object was initialised, where its final
 * put was, and its last HISTORY operations.  Released records stay in the
 * table, RELEASED_PER_STRIPE per stripe at most (oldest forgotten first),
 * so that a later get or put on the same address can name the final put.
 *
 * Every operation is performed on the real counter, whatever the record
 * says, so objects shared with code built without KREF_DEBUG are counted
 * correctly.  Operations are called by their parenthesised names: the
 * macros of kref/debug.h must not apply here.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <kref.h>
#include <kref/debug.h>
#include "internal.h"

#define STRIPES			64
#define BUCKETS			(1u << 16)	/* bucket b is stripe b % STRIPES's */
#define HISTORY			8
#define RELEASED_PER_STRIPE	1024
#define LEAKS_IN_DETAIL		20

KREF_THREAD_LOCAL const struct kref_site *kref_debug_site;

enum op { OP_INIT, OP_GET, OP_GET_UNLESS_ZERO, OP_GET_UNLESS_ZERO_FAILED,
	  OP_PUT, OP_FINAL_PUT };

static const char *const op_name[] = {
	[OP_INIT] = "init", [OP_GET] = "get",
	[OP_GET_UNLESS_ZERO] = "get_unless_zero",
	[OP_GET_UNLESS_ZERO_FAILED] = "get_unless_zero (failed)",
	[OP_PUT] = "put", [OP_FINAL_PUT] = "put (final)",
};

struct event {
	const struct kref_site *site;
	int tid;
	int count;		/* the count right after the operation */
	enum op op;
};

struct record {
	struct record *next;	/* hash chain */
	const struct kref *kref;
	bool released, hashed;
	struct event init, final_put;
	unsigned int events;	/* ever recorded; the last HISTORY are kept */
	struct event history[HISTORY];
};

struct stripe {
	pthread_mutex_t lock;
	unsigned int released_count, oldest;
	struct record *released[RELEASED_PER_STRIPE];	/* FIFO ring */
} __attribute__((aligned(64)));

static struct stripe stripes[STRIPES] = {
	[0 ... STRIPES - 1] = { .lock = PTHREAD_MUTEX_INITIALIZER },
};
static struct record *buckets[BUCKETS];
static pthread_once_t at_exit_once = PTHREAD_ONCE_INIT;

static unsigned int bucket_of(const struct kref *kref)
{
	uint64_t h = (uint64_t)(uintptr_t)kref * 0x9E3779B97F4A7C15ull;

	return (unsigned int)(h >> 48);
}

/* Locks the stripe of @kref's bucket and returns its record, or NULL. */
static struct record *lock_record(const struct kref *kref, struct stripe **sp)
{
	unsigned int b = bucket_of(kref);
	struct record *rec;

	*sp = &stripes[b % STRIPES];
	pthread_mutex_lock(&(*sp)->lock);
	for (rec = buckets[b]; rec && rec->kref != kref; rec = rec->next)
		;
	return rec;
}

static void unhash(struct record *rec)
{
	struct record **p = &buckets[bucket_of(rec->kref)];

	while (*p != rec)
		p = &(*p)->next;
	*p = rec->next;
	rec->hashed = false;
}

static struct event event_now(enum op op, const struct kref_site *site,
			      const struct kref *kref)
{
	struct event e = { site, kref_thread_id(), (int)kref_read(kref), op };

	return e;
}

static void record_event(struct record *rec, struct event e)
{
	rec->history[rec->events++ % HISTORY] = e;
}

/* Remembers @rec as released; forgets the oldest released record if full. */
static void mark_released(struct stripe *s, struct record *rec, struct event e)
{
	unsigned int slot = (s->oldest + s->released_count) % RELEASED_PER_STRIPE;

	rec->released = true;
	rec->final_put = e;
	if (s->released_count == RELEASED_PER_STRIPE) {
		struct record *old = s->released[s->oldest];

		if (old->hashed)
			unhash(old);
		free(old);
		s->oldest = (s->oldest + 1) % RELEASED_PER_STRIPE;
		s->released_count--;
	}
	s->released[slot] = rec;
	s->released_count++;
}

/* ---- reports ---------------------------------------------------------- */

struct report {
	char text[4096];
	int len;
};

static void add(struct report *r, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (r->len >= (int)sizeof(r->text))
		return;
	va_start(ap, fmt);
	n = vsnprintf(r->text + r->len, sizeof(r->text) - (size_t)r->len, fmt, ap);
	va_end(ap);
	r->len = n < 0 ? r->len : r->len + n;
	if (r->len > (int)sizeof(r->text) - 1)
		r->len = (int)sizeof(r->text) - 1;
}

static void add_site(struct report *r, const struct event *e)
{
	add(r, "%s:%d in %s(), thread %d", e->site->file, e->site->line,
	    e->site->func, e->tid);
}

static void add_history(struct report *r, const struct record *rec)
{
	unsigned int first = rec->events > HISTORY ? rec->events - HISTORY : 0;

	add(r, "  last %u operations, oldest first:\n", rec->events - first);
	for (unsigned int i = first; i < rec->events; i++) {
		const struct event *e = &rec->history[i % HISTORY];

		add(r, "    %-26s count %-11d at ", op_name[e->op], e->count);
		add_site(r, e);
		add(r, "\n");
	}
}

/* The report for a rule broken by @now on the object of @rec; the
 * backtrace starts in the caller of the kref_debug_* function, @caller. */
static void report_rule(const char *what, const char *rule,
			const struct event *now, const struct record *rec,
			const void *caller)
{
	struct report r = { .len = 0 };

	add(&r, "kref: %s\n  at ", what);
	add_site(&r, now);
	add(&r, "\n  object %p\n", (const void *)rec->kref);
	if (rec->released) {
		add(&r, "  its final put was at ");
		add_site(&r, &rec->final_put);
		add(&r, "\n");
	}
	add(&r, "  initialised at ");
	add_site(&r, &rec->init);
	add(&r, "\n");
	add_history(&r, rec);
	add(&r, "  %s\n", rule);
	kref_report_write(r.text, r.len);
	kref_report_backtrace(caller);
	kref_report_end();
}

static const char rule_get[] =
	"rule 1: take a reference before handing the pointer off; rule 3: "
	"find and get under the lock the final put takes (kref_put_mutex), "
	"or with kref_get_unless_zero under RCU";
static const char rule_put[] =
	"rule 2: put only a reference you hold, once; the final put ends "
	"the object";

/* ---- leaks ------------------------------------------------------------ */

unsigned long kref_debug_report_leaks(void)
{
	unsigned long leaks = 0;

	for (unsigned int s = 0; s < STRIPES; s++) {
		pthread_mutex_lock(&stripes[s].lock);
		for (unsigned int b = s; b < BUCKETS; b += STRIPES) {
			for (struct record *rec = buckets[b]; rec; rec = rec->next) {
				const struct event *last;
				struct report r = { .len = 0 };

				if (rec->released || ++leaks > LEAKS_IN_DETAIL)
					continue;
				last = &rec->history[(rec->events - 1) % HISTORY];
				add(&r, "kref: leak: object %p still referenced "
				    "(count %d at its last operation)\n"
				    "  initialised at ", (const void *)rec->kref,
				    last->count);
				add_site(&r, &rec->init);
				add(&r, "\n");
				add_history(&r, rec);
				kref_report_write(r.text, r.len);
			}
		}
		pthread_mutex_unlock(&stripes[s].lock);
	}
	if (leaks) {
		char text[128];
		int len = snprintf(text, sizeof(text), "kref: %lu object%s still "
				   "referenced%s\n", leaks, leaks == 1 ? "" : "s",
				   leaks > LEAKS_IN_DETAIL ? " (the first 20 shown)" : "");

		kref_report_write(text, len);
		kref_report_end();
	}
	return leaks;
}

static void report_leaks_at_exit(void)
{
	kref_debug_report_leaks();
}

static void register_at_exit(void)
{
	atexit(report_leaks_at_exit);
}

/* ---- the operations --------------------------------------------------- */

void kref_debug_init(struct kref *kref, const struct kref_site *site)
{
	struct stripe *s;
	struct record *rec = lock_record(kref, &s);
	struct event e;

	pthread_once(&at_exit_once, register_at_exit);
	(kref_init)(kref);
	e = event_now(OP_INIT, site, kref);
	if (rec && !rec->released) {
		report_rule("kref_init on an object that is still referenced; "
			    "its references are lost", rule_put, &e, rec,
			    __builtin_return_address(0));
	} else if (rec) {
		unhash(rec);	/* stays in the released FIFO until evicted */
		rec = NULL;
	}
	if (!rec) {
		unsigned int b = bucket_of(kref);

		rec = calloc(1, sizeof(*rec));
		if (!rec) {	/* untracked, still counted */
			pthread_mutex_unlock(&s->lock);
			return;
		}
		rec->kref = kref;
		rec->hashed = true;
		rec->next = buckets[b];
		buckets[b] = rec;
	}
	rec->released = false;
	rec->init = e;
	rec->events = 0;
	record_event(rec, e);
	pthread_mutex_unlock(&s->lock);
}

void kref_debug_get(struct kref *kref, const struct kref_site *site)
{
	struct stripe *s;
	struct record *rec = lock_record(kref, &s);

	if (rec && rec->released) {
		struct event e = event_now(OP_GET, site, kref);

		report_rule("get after the final put (use after free)",
			    rule_get, &e, rec, __builtin_return_address(0));
	}
	kref_debug_site = site;
	(kref_get)(kref);
	kref_debug_site = NULL;
	if (rec)
		record_event(rec, event_now(OP_GET, site, kref));
	pthread_mutex_unlock(&s->lock);
}

int kref_debug_get_unless_zero(struct kref *kref, const struct kref_site *site)
{
	struct stripe *s;
	struct record *rec = lock_record(kref, &s);
	int got;

	kref_debug_site = site;
	got = (kref_get_unless_zero)(kref);
	kref_debug_site = NULL;
	if (rec) {
		struct event e = event_now(got ? OP_GET_UNLESS_ZERO :
					   OP_GET_UNLESS_ZERO_FAILED, site, kref);

		if (got && rec->released)
			report_rule("kref_get_unless_zero succeeded after the "
				    "final put (use after free)", rule_get, &e, rec,
				    __builtin_return_address(0));
		record_event(rec, e);
	}
	pthread_mutex_unlock(&s->lock);
	return got;
}

/* Reports a put on a released object; the put itself still happens. */
static void check_put(struct record *rec, const struct kref_site *site,
		      const struct kref *kref, const void *caller)
{
	if (rec && rec->released) {
		struct event e = event_now(OP_PUT, site, kref);

		report_rule("put after the final put (double put)", rule_put,
			    &e, rec, caller);
	}
}

/* Records a put done under the stripe lock, then unlocks it. */
static void record_put(struct stripe *s, struct record *rec, bool last,
		       const struct kref_site *site, const struct kref *kref)
{
	if (rec) {
		struct event e = event_now(last ? OP_FINAL_PUT : OP_PUT, site, kref);

		record_event(rec, e);
		if (last)
			mark_released(s, rec, e);
	}
	pthread_mutex_unlock(&s->lock);
}

int kref_debug_put(struct kref *kref, void (*release)(struct kref *kref),
		   const struct kref_site *site)
{
	struct stripe *s;
	struct record *rec = lock_record(kref, &s);
	bool last;

	check_put(rec, site, kref, __builtin_return_address(0));
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

	check_put(rec, site, kref, caller);
	kref_debug_site = site;
	if ((refcount_dec_not_one)(&kref->refcount)) {
		kref_debug_site = NULL;
		record_put(s, rec, false, site, kref);
		return 0;
	}
	kref_debug_site = NULL;
	pthread_mutex_unlock(&s->lock);

	lock(l);
	rec = lock_record(kref, &s);
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
