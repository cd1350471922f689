/* SPDX-License-Identifier: MIT */
/*
 * debug_table.c - debug mode's side table: one record per kref initialised
 * in debug mode, found by the kref's address.
 *
 * The address picks one of STRIPES stripes; each has its own lock and its
 * own chained hash table, which doubles (a full rehash, under the stripe's
 * lock) when it holds more records than buckets.  A lookup thus examines one
 * or two records however many objects are tracked, and operations on
 * unrelated objects rarely contend; none takes a global lock.  A record
 * keeps where the object was initialised, where its final put was, and its
 * last DEBUG_HISTORY operations.  Released records stay in the table,
 * RELEASED_PER_STRIPE per stripe at most (oldest forgotten first), so that a
 * later get or put on the same address can name the final put.
 *
 * A record is owned by the table while HASHED and by its stripe's released
 * FIFO while QUEUED, and freed when neither holds it: so it is queued at
 * most once and freed exactly once, whatever happens at its address.
 */
#define _GNU_SOURCE
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "debug_internal.h"

#define STRIPE_BITS		5
#define STRIPES			(1u << STRIPE_BITS)
#define MIN_ORDER		4	/* a stripe's first table: 16 buckets */
#define RELEASED_PER_STRIPE	2048	/* 65,536 in all */

struct stripe {
	struct kref_lock lock;		/* an owner word: see fork below */
	unsigned int order;		/* 1 << order buckets; 0: no table yet */
	struct record **buckets;
	size_t hashed;			/* records in the table */
	unsigned int released_count, oldest;
	struct record *released[RELEASED_PER_STRIPE];	/* FIFO ring */
} __attribute__((aligned(64)));

static struct stripe stripes[STRIPES];

/* Forks made since the program started, on the path to this process;
 * written by the child's fork handler (the child's only thread), read
 * under any stripe lock. */
static unsigned int generation;

/* Fibonacci hashing: the top bits of the product are well mixed even for
 * addresses that differ only in a few middle bits. */
static uint64_t hash_of(const struct kref *kref)
{
	return (uint64_t)(uintptr_t)kref * 0x9E3779B97F4A7C15ull;
}

/* The bits just below the stripe's pick the bucket; 1 <= order <= 59. */
static size_t bucket_of(uint64_t h, unsigned int order)
{
	return (size_t)((h << STRIPE_BITS) >> (64 - order));
}

/*
 * A stripe this thread holds already is an operation interrupted by a
 * signal handler on it, or by a fork from one: the stripe may be half
 * updated, and waiting for it would wait for ourselves.  The operation
 * runs untracked (*@sp NULL): debug mode is silent about it, and if it
 * was the final put, the record stays live for the exit report to list.  The program's warn handler, the one piece of its code an
 * operation runs, is held until the stripe is let go (refcount.c).
 */
struct record *debug_lock_record(const struct kref *kref, struct stripe **sp)
{
	uint64_t h = hash_of(kref);
	struct stripe *s = &stripes[h >> (64 - STRIPE_BITS)];
	struct record *rec = NULL;

	kref_internal_warn_hold();
	if (kref_lock_mine(&s->lock)) {
		*sp = NULL;
		return NULL;
	}
	*sp = s;
	kref_lock(&s->lock);
	if (s->order)
		for (rec = s->buckets[bucket_of(h, s->order)];
		     rec && rec->kref != kref; rec = rec->next)
			;
	return rec;
}

void debug_unlock(struct stripe *s)
{
	if (s)
		kref_unlock(&s->lock);
	kref_internal_warn_let_go();
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

struct record *debug_insert(struct stripe *s, const struct kref *kref)
{
	struct record *rec;
	size_t b;

	if (!s)
		return NULL;
	if (!s->order || s->hashed >= (size_t)1 << s->order)
		grow(s);
	if (!s->order || !(rec = malloc(sizeof(*rec))))
		return NULL;
	b = bucket_of(hash_of(kref), s->order);
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

/* Frees @rec unless the table or the released FIFO still holds it. */
static void drop(struct record *rec)
{
	if (!(rec->flags & (HASHED | QUEUED)))
		free(rec);
}

void debug_forget(struct stripe *s, struct record *rec)
{
	if (rec->flags & HASHED) {
		unhash(s, rec);
		debug_unwatch(rec->kref);
	}
	drop(rec);
}

struct event debug_event_now(const struct kref_site *site, kref_chain_t chain,
			     const struct kref *kref)
{
	struct event e = { site, chain, kref_thread_id(), (int)kref_read(kref) };

	return e;
}

void debug_record_event(struct record *rec, enum op op, struct event e)
{
	rec->op[rec->events % DEBUG_HISTORY] = (uint8_t)op;
	rec->history[rec->events++ % DEBUG_HISTORY] = e;
}

void debug_mark_released(struct stripe *s, struct record *rec, struct event e)
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
		debug_forget(s, old);
	}
	s->released[(s->oldest + s->released_count) % RELEASED_PER_STRIPE] = rec;
	s->released_count++;
	rec->flags |= QUEUED;
}

uint16_t debug_generation(void)
{
	return (uint16_t)generation;
}

void debug_for_each_live(void (*fn)(struct record *rec, void *arg), void *arg)
{
	for (unsigned int i = 0; i < STRIPES; i++) {
		struct stripe *s = &stripes[i];
		size_t buckets;

		kref_lock(&s->lock);
		buckets = s->order ? (size_t)1 << s->order : 0;
		for (size_t b = 0; b < buckets; b++)
			for (struct record *rec = s->buckets[b]; rec; rec = rec->next)
				if (!(rec->flags & RELEASED) &&
				    rec->generation == (uint16_t)generation)
					fn(rec, arg);
		kref_unlock(&s->lock);
	}
}

/*
 * fork() waits for nothing here: no table lock is taken for it, so no
 * thread inside an operation can hold a fork up.  In the child, a stripe
 * that another thread held may be half updated: it is dropped (its table
 * and records set aside), so the objects it tracked are untracked there,
 * which makes debug mode silent about them, never wrong.  A stripe the
 * forking thread holds (a fork from a signal handler that interrupted an
 * operation) is its own: the operation ends when the handler returns, in
 * the parent and the child; until then, operations on that stripe run
 * untracked (debug_lock_record()).
 * The child's objects start a new generation: its leak reports leave out
 * the ones it inherited, whose references the parent's threads hold.
 */
void debug_table_fork_child(void)
{
	/* Where a dropped stripe's records stay reachable (LeakSanitizer). */
	static struct stripe dropped[STRIPES];

	generation++;
	for (unsigned int i = 0; i < STRIPES; i++) {
		struct stripe *s = &stripes[i];

		/* Relaxed: the child has one thread; this reads its memory. */
		if (atomic_load_explicit(&s->lock.owner, memory_order_relaxed) &&
		    !kref_lock_mine(&s->lock)) {
			memcpy(&dropped[i], s, sizeof(*s));
			memset(s, 0, sizeof(*s));
		}
	}
}

/* ---- for the tests ---------------------------------------------------- */

void kref_debug_table_stats_(struct kref_debug_table_stats_ *st)
{
	*st = (struct kref_debug_table_stats_){ 0 };
	for (unsigned int i = 0; i < STRIPES; i++) {
		struct stripe *s = &stripes[i];
		size_t buckets;

		kref_lock(&s->lock);
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
		kref_unlock(&s->lock);
	}
}
