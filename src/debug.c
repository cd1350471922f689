/* SPDX-License-Identifier: MIT */
/*
 * debug.c - the side table behind KREF_DEBUG.
 *
 * One record per kref initialised in debug mode, found by the kref's
 * address.  The address picks one of STRIPES stripes; each has its own lock
 * and its own chained hash table, which doubles (a full rehash, under the
 * stripe's lock) when it holds more records than buckets.  A lookup thus
 * examines one or two records however many objects are tracked, and
 * operations on unrelated objects rarely contend; none takes a global lock.
 * A record keeps where the object was initialised, where its final put was,
 * and its last HISTORY operations.  Released records stay in the table,
 * RELEASED_PER_STRIPE per stripe at most (oldest forgotten first), so that
 * a later get or put on the same address can name the final put.  If that
 * get or put finds a live count, the address holds a new object that debug
 * mode did not see initialised: the record is forgotten, not reported.
 *
 * A record is owned by the table while HASHED and by its stripe's released
 * FIFO while QUEUED, and freed when neither holds it: so it is queued at
 * most once and freed exactly once, whatever happens at its address.
 *
 * Every operation is performed on the real counter, whatever the record
 * says, so objects shared with code built without KREF_DEBUG are counted
 * correctly.  Operations are called by their parenthesised names: the
 * macros of kref/debug.h must not apply here.
 */
#define _GNU_SOURCE
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <kref.h>
#include <kref/debug.h>
#include "internal.h"
#include "debug_internal.h"

/* fork() holds every stripe lock at once; ThreadSanitizer's deadlock
 * detector aborts if a thread holds 64 locks or more. */
#define STRIPE_BITS		5
#define STRIPES			(1u << STRIPE_BITS)
#define MIN_ORDER		4	/* a stripe's first table: 16 buckets */
#define HISTORY			8
#define RELEASED_PER_STRIPE	2048	/* 65,536 in all */
#define LEAKS_IN_DETAIL		20

KREF_THREAD_LOCAL const struct kref_site *kref_debug_site;

enum op { OP_INIT, OP_GET, OP_GET_UNLESS_ZERO, OP_GET_UNLESS_ZERO_FAILED,
	  OP_PUT, OP_FINAL_PUT, OP_ESCAPE };

static const char *const op_name[] = {
	[OP_INIT] = "init", [OP_GET] = "get",
	[OP_GET_UNLESS_ZERO] = "get_unless_zero",
	[OP_GET_UNLESS_ZERO_FAILED] = "get_unless_zero (failed)",
	[OP_PUT] = "put", [OP_FINAL_PUT] = "put (final)",
	[OP_ESCAPE] = "escaped its scope",
};

struct event {
	const struct kref_site *site;
	int tid;
	int count;		/* the count right after the operation */
};

enum { HASHED = 1, RELEASED = 2, QUEUED = 4 };

/* 192 bytes on LP64: the history's operations are kept apart from its
 * events so that an event packs into 16. */
struct record {
	struct record *next;	/* hash chain */
	const struct kref *kref;
	uint32_t events;	/* ever recorded; the last HISTORY are kept */
	uint16_t generation;	/* of the process that initialised it */
	uint8_t flags;
	uint8_t op[HISTORY];	/* enum op of history[i] */
	struct event init, final_put;
	struct event history[HISTORY];
};

struct stripe {
	pthread_mutex_t lock;
	unsigned int order;		/* 1 << order buckets; 0: no table yet */
	struct record **buckets;
	size_t hashed;			/* records in the table */
	unsigned int released_count, oldest;
	struct record *released[RELEASED_PER_STRIPE];	/* FIFO ring */
} __attribute__((aligned(64)));

static struct stripe stripes[STRIPES] = {
	[0 ... STRIPES - 1] = { .lock = PTHREAD_MUTEX_INITIALIZER },
};

/* Forks made since the program started, on the path to this process;
 * written by the child's fork handler with every stripe lock held, read
 * under any of them. */
static unsigned int generation;

static pthread_once_t start_once = PTHREAD_ONCE_INIT;

/* Fibonacci hashing: the top bits of the product are well mixed even for
 * addresses that differ only in a few middle bits. */
static uint64_t hash_of(const struct kref *kref)
{
	return (uint64_t)(uintptr_t)kref * 0x9E3779B97F4A7C15ull;
}

static struct stripe *stripe_of(uint64_t h)
{
	return &stripes[h >> (64 - STRIPE_BITS)];
}

/* The bits just below the stripe's pick the bucket; 1 <= order <= 59. */
static size_t bucket_of(uint64_t h, unsigned int order)
{
	return (size_t)((h << STRIPE_BITS) >> (64 - order));
}

/* Inlined: they are most of what a tracked operation costs. */
#define HOT static inline __attribute__((always_inline))

HOT struct record *find(const struct stripe *s, uint64_t h,
			const struct kref *kref)
{
	struct record *rec = NULL;

	if (s->order)
		for (rec = s->buckets[bucket_of(h, s->order)];
		     rec && rec->kref != kref; rec = rec->next)
			;
	return rec;
}

/* Locks @kref's stripe and returns its record, or NULL. */
HOT struct record *lock_record(const struct kref *kref, struct stripe **sp)
{
	uint64_t h = hash_of(kref);

	*sp = stripe_of(h);
	pthread_mutex_lock(&(*sp)->lock);
	return find(*sp, h, kref);
}

/* Doubles @s's table; if memory is short, keeps it (longer chains). */
static void grow(struct stripe *s)
{
	unsigned int order = s->order ? s->order + 1 : MIN_ORDER;
	size_t old_buckets = s->order ? (size_t)1 << s->order : 0;
	struct record **b;

	if (order > 64 - STRIPE_BITS || order >= sizeof(size_t) * CHAR_BIT - 4 ||
	    !(b = calloc((size_t)1 << order, sizeof(*b))))
		return;
	for (size_t i = 0; i < old_buckets; i++) {
		struct record *rec, *next;

		for (rec = s->buckets[i]; rec; rec = next) {
			size_t j = bucket_of(hash_of(rec->kref), order);

			next = rec->next;
			rec->next = b[j];
			b[j] = rec;
		}
	}
	free(s->buckets);
	s->buckets = b;
	s->order = order;
}

/* A new record for @kref in @s's table, or NULL if out of memory. */
static struct record *insert(struct stripe *s, uint64_t h,
			     const struct kref *kref)
{
	struct record *rec;
	size_t b;

	if (!s->order || s->hashed >= (size_t)1 << s->order)
		grow(s);
	if (!s->order || !(rec = malloc(sizeof(*rec))))
		return NULL;
	b = bucket_of(h, s->order);
	rec->kref = kref;
	rec->flags = HASHED;
	rec->generation = (uint16_t)generation;
	rec->events = 0;
	rec->next = s->buckets[b];
	s->buckets[b] = rec;
	s->hashed++;
	return rec;
}

static void unhash(struct stripe *s, struct record *rec)
{
	struct record **p = &s->buckets[bucket_of(hash_of(rec->kref), s->order)];

	while (*p && *p != rec)
		p = &(*p)->next;
	if (*p) {
		*p = rec->next;
		s->hashed--;
	}
	rec->flags &= (uint8_t)~HASHED;
}

/* Takes @rec out of the table; frees it unless the released FIFO still
 * holds it (it is freed when evicted). */
static void forget(struct stripe *s, struct record *rec)
{
	if (rec->flags & HASHED)
		unhash(s, rec);
	if (!(rec->flags & QUEUED))
		free(rec);
}

static struct event event_now(const struct kref_site *site,
			      const struct kref *kref)
{
	struct event e = { site, kref_thread_id(), (int)kref_read(kref) };

	return e;
}

static void record_event(struct record *rec, enum op op, struct event e)
{
	rec->op[rec->events % HISTORY] = (uint8_t)op;
	rec->history[rec->events++ % HISTORY] = e;
}

/* Remembers @rec as released; forgets the oldest released record if full. */
static void mark_released(struct stripe *s, struct record *rec, struct event e)
{
	rec->flags |= RELEASED;
	rec->final_put = e;
	if (rec->flags & QUEUED)
		return;
	if (s->released_count == RELEASED_PER_STRIPE) {
		struct record *old = s->released[s->oldest];

		s->oldest = (s->oldest + 1) % RELEASED_PER_STRIPE;
		s->released_count--;
		old->flags &= (uint8_t)~QUEUED;
		forget(s, old);
	}
	s->released[(s->oldest + s->released_count) % RELEASED_PER_STRIPE] = rec;
	s->released_count++;
	rec->flags |= QUEUED;
}

/*
 * True if @rec is released but its object's count is live: a released
 * object's count is 0, or saturated if it was misused since, so the memory
 * now holds a new object that debug mode did not see initialised (a
 * KREF_INIT object, one initialised in a unit built without KREF_DEBUG, a
 * reused stack slot).  Reliable when the caller holds a reference, as a
 * correct get or put does: its own reference keeps the count live.
 */
HOT bool reused(const struct record *rec, const struct kref *kref)
{
	return (rec->flags & RELEASED) && (int)kref_read(kref) > 0;
}

/* @rec, or NULL if it is the record of an object that was released and
 * whose memory now holds a new, untracked one: that record is forgotten. */
HOT struct record *current(struct stripe *s, struct record *rec,
			   const struct kref *kref)
{
	if (rec && reused(rec, kref)) {
		forget(s, rec);
		return NULL;
	}
	return rec;
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

		add(r, "    %-26s count %-11d at ", op_name[rec->op[i % HISTORY]],
		    e->count);
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
	if (rec->flags & RELEASED) {
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

/*
 * The newest escape in @rec's history if it is the leaked reference's
 * story: no put followed it and the count is still what it left, so the
 * reference it handed on is the one still held; and its site names a
 * file.  Else NULL.
 */
static const struct event *last_escape(const struct record *rec)
{
	unsigned int first = rec->events > HISTORY ? rec->events - HISTORY : 0;
	const struct event *last = &rec->history[(rec->events - 1) % HISTORY];

	for (unsigned int i = rec->events; i-- > first;) {
		const struct event *e = &rec->history[i % HISTORY];

		switch (rec->op[i % HISTORY]) {
		case OP_PUT:
		case OP_FINAL_PUT:
			return NULL;
		case OP_ESCAPE:
			return e->count == last->count && e->site->file &&
			       e->site->file[0] ? e : NULL;
		default:
			break;
		}
	}
	return NULL;
}

static void report_leak(const struct record *rec)
{
	const struct event *last = &rec->history[(rec->events - 1) % HISTORY];
	const struct event *escape = last_escape(rec);
	struct report r = { .len = 0 };

	add(&r, "kref: leak: object %p still referenced (count %d at its last "
	    "operation)\n  initialised at ", (const void *)rec->kref, last->count);
	add_site(&r, &rec->init);
	add(&r, "\n");
	if (escape) {
		add(&r, "  a reference escaped its scope at ");
		add_site(&r, escape);
		add(&r, "\n  (no_free_ptr, return_ptr or retain_and_null_ptr): "
		    "whoever received it must put it\n");
	}
	add_history(&r, rec);
	kref_report_write(r.text, r.len);
}

unsigned long kref_debug_report_leaks(void)
{
	unsigned long leaks = 0;

	for (unsigned int i = 0; i < STRIPES; i++) {
		struct stripe *s = &stripes[i];
		size_t buckets;

		pthread_mutex_lock(&s->lock);
		buckets = s->order ? (size_t)1 << s->order : 0;
		for (size_t b = 0; b < buckets; b++)
			for (struct record *rec = s->buckets[b]; rec; rec = rec->next)
				if (!(rec->flags & RELEASED) &&
				    rec->generation == (uint16_t)generation &&
				    ++leaks <= LEAKS_IN_DETAIL)
					report_leak(rec);
		pthread_mutex_unlock(&s->lock);
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

/* ---- saturation reports ---------------------------------------------- */

/* Debug mode reports each (type, call site) once, not each type. */
#define SEEN_SITES 256
static struct {
	pthread_mutex_t lock;
	unsigned int n;
	struct { const struct kref_site *site; int type; } seen[SEEN_SITES];
} seen_sites = { .lock = PTHREAD_MUTEX_INITIALIZER };

/* True the first time (@t, @site) is seen; a full table says true. */
static bool first_at_site(int t, const struct kref_site *site)
{
	bool first = true;

	pthread_mutex_lock(&seen_sites.lock);
	for (unsigned int i = 0; i < seen_sites.n && first; i++)
		first = seen_sites.seen[i].site != site ||
			seen_sites.seen[i].type != t;
	if (first && seen_sites.n < SEEN_SITES) {
		seen_sites.seen[seen_sites.n].site = site;
		seen_sites.seen[seen_sites.n++].type = t;
	}
	pthread_mutex_unlock(&seen_sites.lock);
	return first;
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

/* ---- fork ------------------------------------------------------------- */

/*
 * fork() waits for every thread that is between the two halves of an
 * operation (it holds a stripe lock), so the child inherits consistent
 * tables and no lock held by a thread that does not exist there.  Stripe
 * locks first, then the seen-sites lock: the order a report taken under a
 * stripe lock follows.
 */
static void fork_prepare(void)
{
	for (unsigned int i = 0; i < STRIPES; i++)
		pthread_mutex_lock(&stripes[i].lock);
	pthread_mutex_lock(&seen_sites.lock);
}

static void fork_parent(void)
{
	pthread_mutex_unlock(&seen_sites.lock);
	for (unsigned int i = STRIPES; i-- > 0;)
		pthread_mutex_unlock(&stripes[i].lock);
}

/* The child's objects start a new generation: its leak reports leave out
 * the ones it inherited, whose references the parent's threads hold. */
static void fork_child(void)
{
	generation++;
	pthread_mutex_unlock(&seen_sites.lock);
	kref_thread_id_forget();
	for (unsigned int i = STRIPES; i-- > 0;)
		pthread_mutex_unlock(&stripes[i].lock);
}

static void start(void)
{
	pthread_atfork(fork_prepare, fork_parent, fork_child);
	atexit(report_leaks_at_exit);
}

void kref_debug_start_(void)
{
	pthread_once(&start_once, start);
}

/* ---- the operations --------------------------------------------------- */

void kref_debug_init(struct kref *kref, const struct kref_site *site)
{
	uint64_t h = hash_of(kref);
	struct stripe *s = stripe_of(h);
	struct record *rec;
	struct event e;
	int before = 0;

	kref_debug_start_();	/* in case no constructor ran */
	pthread_mutex_lock(&s->lock);
	rec = find(s, h, kref);
	if (rec && !(rec->flags & RELEASED))
		before = (int)kref_read(kref);
	(kref_init)(kref);
	e = event_now(site, kref);
	if (rec && (rec->flags & RELEASED)) {
		forget(s, rec);
		rec = NULL;
	} else if (rec && before != 0) {
		report_rule("kref_init on an object that is still referenced; "
			    "its references are lost", rule_put, &e, rec,
			    __builtin_return_address(0));
	}
	/* A live record whose count was 0: the final put ran in a unit built
	 * without KREF_DEBUG.  The record starts over for the new object. */
	if (!rec && !(rec = insert(s, h, kref))) {
		pthread_mutex_unlock(&s->lock);	/* untracked, still counted */
		return;
	}
	rec->generation = (uint16_t)generation;
	rec->init = e;
	rec->events = 0;
	record_event(rec, OP_INIT, e);
	pthread_mutex_unlock(&s->lock);
}

void kref_debug_get(struct kref *kref, const struct kref_site *site)
{
	struct stripe *s;
	struct record *rec = lock_record(kref, &s);

	rec = current(s, rec, kref);
	if (rec && (rec->flags & RELEASED)) {
		struct event e = event_now(site, kref);

		report_rule("get after the final put (use after free)",
			    rule_get, &e, rec, __builtin_return_address(0));
	}
	kref_debug_site = site;
	(kref_get)(kref);
	kref_debug_site = NULL;
	if (rec)
		record_event(rec, OP_GET, event_now(site, kref));
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
	/* Judged after the get: the caller held no reference before it, and
	 * now holds one if it got one from a live count. */
	if (got)
		rec = current(s, rec, kref);
	if (rec) {
		struct event e = event_now(site, kref);

		if (got && (rec->flags & RELEASED))
			report_rule("kref_get_unless_zero succeeded after the "
				    "final put (use after free)", rule_get, &e, rec,
				    __builtin_return_address(0));
		record_event(rec, got ? OP_GET_UNLESS_ZERO :
			     OP_GET_UNLESS_ZERO_FAILED, e);
	}
	pthread_mutex_unlock(&s->lock);
	return got;
}

/* @rec made current; a put on a released object is reported (the put
 * itself still happens). */
HOT struct record *check_put(struct stripe *s, struct record *rec,
			     const struct kref_site *site,
			     const struct kref *kref, const void *caller)
{
	rec = current(s, rec, kref);
	if (rec && (rec->flags & RELEASED)) {
		struct event e = event_now(site, kref);

		report_rule("put after the final put (double put)", rule_put,
			    &e, rec, caller);
	}
	return rec;
}

/* Records a put done under the stripe lock, then unlocks it. */
static void record_put(struct stripe *s, struct record *rec, bool last,
		       const struct kref_site *site, const struct kref *kref)
{
	if (rec) {
		struct event e = event_now(site, kref);

		record_event(rec, last ? OP_FINAL_PUT : OP_PUT, e);
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

	rec = check_put(s, rec, site, kref, __builtin_return_address(0));
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

	rec = check_put(s, rec, site, kref, caller);
	kref_debug_site = site;
	if ((refcount_dec_not_one)(&kref->refcount)) {
		kref_debug_site = NULL;
		record_put(s, rec, false, site, kref);
		return 0;
	}
	kref_debug_site = NULL;
	pthread_mutex_unlock(&s->lock);

	lock(l);
	/* Anything may have happened meanwhile: look again. */
	rec = lock_record(kref, &s);
	rec = check_put(s, rec, site, kref, caller);
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

/* ---- scope-based references (kref/cleanup.h): debug_scope.c ------- */

bool kref_debug_record_escape_(const struct kref *kref,
			       const struct kref_site *site)
{
	struct stripe *s;
	struct record *rec = lock_record(kref, &s);
	bool live = rec && !(rec->flags & RELEASED);

	if (live)
		record_event(rec, OP_ESCAPE, event_now(site, kref));
	pthread_mutex_unlock(&s->lock);
	return live;
}

/* ---- for the tests ---------------------------------------------------- */

void kref_debug_table_stats_(struct kref_debug_table_stats_ *st)
{
	*st = (struct kref_debug_table_stats_){ 0 };
	for (unsigned int i = 0; i < STRIPES; i++) {
		struct stripe *s = &stripes[i];
		size_t buckets;

		pthread_mutex_lock(&s->lock);
		buckets = s->order ? (size_t)1 << s->order : 0;
		st->buckets += buckets;
		for (size_t b = 0; b < buckets; b++) {
			size_t len = 0;

			for (struct record *rec = s->buckets[b]; rec; rec = rec->next)
				len++;
			st->records += len;
			st->probes += len * (len + 1) / 2;
			st->longest = len > st->longest ? len : st->longest;
		}
		st->released += s->released_count;
		pthread_mutex_unlock(&s->lock);
	}
}
