/* SPDX-License-Identifier: MIT */
/*
 * debug_table.c - debug mode's side table: one record per kref initialised
 * in debug mode, found by the kref's address.
 *
 * The address picks one of STRIPES stripes; each has its own lock and its
 * own open-addressed hash table of slots, a slot being a kref's address
 * and its record's, four to a cache line.  A kref's slot is found by
 * linear probing from its home slot, at most half the slots being in use,
 * so a lookup reads one cache line of slots, seldom two, and no record; a
 * table doubles when it is half full (a full rehash, under the stripe's
 * lock, that walks the old slots in order and writes the new ones almost in
 * order), and a deletion shifts the slots after it back, so no tombstones.
 * Operations on unrelated objects rarely contend; none takes a global
 * lock.
 *
 * Records come from the stripe's own arenas (mmap'd, 2 MiB ones on huge
 * pages where the kernel has them), each record in three whole cache lines;
 * a freed record goes on its stripe's free list.  Neither the records nor
 * the slots go through malloc(), so the allocator watch (debug_alloc.c)
 * never sees them.  Before it takes the lock, a lookup prefetches the kref
 * and its home slot; once it has the record, the record's three lines: the
 * cache misses of a lookup in a large table overlap instead of following
 * one another.
 *
 * A record keeps where the object was initialised, where its final put
 * was, and its last DEBUG_HISTORY operations.  Released records stay in
 * the table, RELEASED_PER_STRIPE per stripe at most (oldest forgotten
 * first), so that a later get or put on the same address can name the
 * final put.
 *
 * A record is owned by the table while HASHED and by its stripe's released
 * FIFO while QUEUED, and freed when neither holds it: so it is queued at
 * most once and freed exactly once, whatever happens at its address.
 * Slots move (a rehash, a deletion's shift); records never do, so the
 * FIFO's and the callers' pointers to them stay valid.
 */
#define _GNU_SOURCE
#include <limits.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "debug_internal.h"

/* fork() holds every stripe lock at once; ThreadSanitizer's deadlock
 * detector aborts if a thread holds 64 locks or more. */
#define STRIPE_BITS		5
#define STRIPES			(1u << STRIPE_BITS)
#define RELEASED_PER_STRIPE	2048	/* 65,536 in all */

struct slot {
	const struct kref *kref;	/* NULL: empty */
	struct record *rec;
};

/* A stripe's first table: one page of slots. */
#define MIN_ORDER		8
_Static_assert(sizeof(struct slot) << MIN_ORDER == 4096, "a page of slots");

/* A record in whole cache lines, so that it spans three, not four. */
#define CACHE_LINE		64
#define RECORD_SIZE	((sizeof(struct record) + CACHE_LINE - 1) & ~(size_t)(CACHE_LINE - 1))
_Static_assert(RECORD_SIZE <= 3 * CACHE_LINE, "a record in three cache lines");

/* A stripe's first arena, and the largest: a transparent huge page. */
#define FIRST_ARENA		((size_t)16 << 10)
#define HUGE_PAGE		((size_t)2 << 20)

struct stripe {
	pthread_mutex_t lock;
	/*
	 * The slots' address | the table's order (1 << order slots; 0: no
	 * table yet): one word, so that the prefetch before the lock reads
	 * a table and its order together.  Written under the lock.
	 */
	_Atomic uintptr_t table;
	size_t hashed;			/* records in the table */
	struct record *free_records;	/* through ->next */
	char *arena_next, *arena_end;	/* the current arena's unused part */
	size_t arena_size;		/* of the next arena */
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

/* Fibonacci hashing: the top bits of the product are well mixed even for
 * addresses that differ only in a few middle bits. */
static uint64_t hash_of(const struct kref *kref)
{
	return (uint64_t)(uintptr_t)kref * 0x9E3779B97F4A7C15ull;
}

/* The bits just below the stripe's pick the home slot; 8 <= order <= 58.
 * Doubling the table sends home slot i to 2i or 2i + 1: order is kept. */
static size_t home_of(uint64_t h, unsigned int order)
{
	return (size_t)((h << STRIPE_BITS) >> (64 - order));
}

#define ORDER_MASK	((uintptr_t)63)

static struct slot *slots_of(uintptr_t table)
{
	return (struct slot *)(table & ~ORDER_MASK);
}

static unsigned int order_of(uintptr_t table)
{
	return (unsigned int)(table & ORDER_MASK);
}

/* The table, read under the stripe's lock. */
static uintptr_t table_locked(struct stripe *s)
{
	/* Relaxed: the lock orders it after the last write, made under the
	 * lock. */
	return atomic_load_explicit(&s->table, memory_order_relaxed);
}

/* Anonymous memory, zeroed; @size a multiple of the page size.  2 MiB and
 * more: aligned to 2 MiB and advised onto huge pages, so that a large table
 * costs the TLB few entries. */
static void *map(size_t size)
{
	size_t extra = size >= HUGE_PAGE ? HUGE_PAGE : 0;
	char *p = mmap(NULL, size + extra, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uintptr_t at;

	if (p == MAP_FAILED)
		return NULL;
	if (!extra)
		return p;
	at = ((uintptr_t)p + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1);
	if (at != (uintptr_t)p)
		munmap(p, at - (uintptr_t)p);
	if ((uintptr_t)p + extra != at)
		munmap((char *)at + size, (uintptr_t)p + extra - at);
#ifdef MADV_HUGEPAGE
	madvise((void *)at, size, MADV_HUGEPAGE);	/* a hint: may fail */
#endif
	return (void *)at;
}

static void unmap(void *p, size_t size)
{
	munmap(p, size);
}

struct record *debug_lock_record(const struct kref *kref, struct stripe **sp)
{
	uint64_t h = hash_of(kref);
	struct stripe *s = &stripes[h >> (64 - STRIPE_BITS)];
	/* Relaxed: for the prefetch alone, which any table, however stale,
	 * serves (a prefetch never faults); the lookup reads it again under
	 * the lock. */
	uintptr_t t = atomic_load_explicit(&s->table, memory_order_relaxed);
	struct record *rec = NULL;

	/* The caller is about to read and write the kref: its miss and the
	 * slot's overlap with each other and with taking the lock. */
	__builtin_prefetch(kref, 1);
	if (t)
		__builtin_prefetch((const void *)((uintptr_t)slots_of(t) +
			home_of(h, order_of(t)) * sizeof(struct slot)));
	*sp = s;
	pthread_mutex_lock(&s->lock);
	t = table_locked(s);
	if (t) {
		struct slot *slots = slots_of(t);
		size_t mask = ((size_t)1 << order_of(t)) - 1;

		/* Never full: an empty slot ends every probe. */
		for (size_t i = home_of(h, order_of(t)); slots[i].kref;
		     i = (i + 1) & mask)
			if (slots[i].kref == kref) {
				rec = slots[i].rec;
				/* The caller reads its first line now, then
				 * writes the history's: fetch all three. */
				__builtin_prefetch(rec, 1);
				__builtin_prefetch((char *)rec + CACHE_LINE, 1);
				__builtin_prefetch((char *)rec + 2 * CACHE_LINE, 1);
				break;
			}
	}
	return rec;
}

void debug_unlock(struct stripe *s)
{
	pthread_mutex_unlock(&s->lock);
}

/* Puts @kref's slot in the free slot its probe finds first. */
static void place(struct slot *slots, unsigned int order,
		  const struct kref *kref, struct record *rec)
{
	size_t mask = ((size_t)1 << order) - 1, i;

	for (i = home_of(hash_of(kref), order); slots[i].kref; i = (i + 1) & mask)
		;
	slots[i].kref = kref;
	slots[i].rec = rec;
}

/* Doubles @s's table; if memory is short, keeps it (longer probes, and no
 * new record once it is full). */
static void grow(struct stripe *s)
{
	uintptr_t t = table_locked(s);
	unsigned int old_order = order_of(t);
	unsigned int order = t ? old_order + 1 : MIN_ORDER;
	size_t old_slots = t ? (size_t)1 << old_order : 0;
	struct slot *old = slots_of(t), *slots;

	if (order > 64 - STRIPE_BITS || order >= sizeof(size_t) * CHAR_BIT - 5 ||
	    !(slots = map(sizeof(*slots) << order)))
		return;
	for (size_t i = 0; i < old_slots; i++)
		if (old[i].kref)
			place(slots, order, old[i].kref, old[i].rec);
	/* Relaxed: readers under the lock are ordered by it; the prefetch
	 * reads it without, and any value serves it. */
	atomic_store_explicit(&s->table, (uintptr_t)slots | order,
			      memory_order_relaxed);
	if (old)
		unmap(old, sizeof(*old) << old_order);
}

/* A record from @s's free list or its arena, or NULL if memory is short. */
static struct record *new_record(struct stripe *s)
{
	struct record *rec = s->free_records;

	if (rec) {
		s->free_records = rec->next;
		return rec;
	}
	if ((size_t)(s->arena_end - s->arena_next) < RECORD_SIZE) {
		size_t size = s->arena_size ? s->arena_size : FIRST_ARENA;
		char *a = map(size);

		if (!a)
			return NULL;
		s->arena_next = a;
		s->arena_end = a + size / RECORD_SIZE * RECORD_SIZE;
		s->arena_size = size < HUGE_PAGE ? 2 * size : HUGE_PAGE;
	}
	rec = (struct record *)s->arena_next;
	s->arena_next += RECORD_SIZE;
	return rec;
}

struct record *debug_insert(struct stripe *s, const struct kref *kref)
{
	struct record *rec;
	uintptr_t t = table_locked(s);

	if (!t || s->hashed + 1 > ((size_t)1 << order_of(t)) / 2) {
		grow(s);
		t = table_locked(s);
	}
	/* One slot stays empty, to end every probe. */
	if (!t || s->hashed + 2 > (size_t)1 << order_of(t) ||
	    !(rec = new_record(s)))
		return NULL;
	rec->kref = kref;
	rec->flags = HASHED;
	rec->generation = (uint16_t)generation;
	rec->events = 0;
	place(slots_of(t), order_of(t), kref, rec);
	s->hashed++;
	return rec;
}

/* Takes @rec's slot out of the table, shifting back the slots after it
 * that their probes would no longer reach. */
static void unhash(struct stripe *s, struct record *rec)
{
	uintptr_t t = table_locked(s);
	struct slot *slots = slots_of(t);
	unsigned int order = order_of(t);
	size_t mask = ((size_t)1 << order) - 1, i, j;

	rec->flags &= (uint8_t)~HASHED;
	for (i = home_of(hash_of(rec->kref), order); slots[i].kref;
	     i = (i + 1) & mask)
		if (slots[i].rec == rec)
			break;
	if (!slots[i].kref)
		return;		/* not found: cannot happen */
	s->hashed--;
	for (j = (i + 1) & mask; slots[j].kref; j = (j + 1) & mask) {
		size_t home = home_of(hash_of(slots[j].kref), order);

		/* Stays if its home is in (i, j], cyclically. */
		if (((j - home) & mask) < ((j - i) & mask))
			continue;
		slots[i] = slots[j];
		i = j;
	}
	slots[i].kref = NULL;
	slots[i].rec = NULL;
}

/* Frees @rec unless the table or the released FIFO still holds it. */
static void drop(struct stripe *s, struct record *rec)
{
	if (!(rec->flags & (HASHED | QUEUED))) {
		rec->next = s->free_records;
		s->free_records = rec;
	}
}

void debug_forget(struct stripe *s, struct record *rec)
{
	if (rec->flags & HASHED) {
		unhash(s, rec);
		if (rec->flags & RELEASED)
			debug_unwatch(rec->kref);
	}
	drop(s, rec);
}

struct event debug_event_now(const struct kref_site *site, const struct kref *kref)
{
	struct event e = { site, kref_thread_id(), (int)kref_read(kref) };

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
	debug_watch(rec->kref);
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
		uintptr_t t;
		size_t n;

		pthread_mutex_lock(&s->lock);
		t = table_locked(s);
		n = t ? (size_t)1 << order_of(t) : 0;
		for (size_t j = 0; j < n; j++) {
			struct record *rec = slots_of(t)[j].rec;

			if (slots_of(t)[j].kref && !(rec->flags & RELEASED) &&
			    rec->generation == (uint16_t)generation)
				fn(rec, arg);
		}
		pthread_mutex_unlock(&s->lock);
	}
}

/*
 * fork() waits for every thread that is inside a table operation (it holds
 * a stripe lock), so the child inherits consistent tables and no lock held
 * by a thread that does not exist there.  Nothing is called out to the
 * program while a stripe lock is held, so that wait is short.
 */
void debug_table_fork_prepare(void)
{
	for (unsigned int i = 0; i < STRIPES; i++)
		pthread_mutex_lock(&stripes[i].lock);
}

void debug_table_fork_parent(void)
{
	for (unsigned int i = STRIPES; i-- > 0;)
		pthread_mutex_unlock(&stripes[i].lock);
}

/* The child's objects start a new generation: its leak reports leave out
 * the ones it inherited, whose references the parent's threads hold. */
void debug_table_fork_child(void)
{
	generation++;
	for (unsigned int i = STRIPES; i-- > 0;)
		pthread_mutex_unlock(&stripes[i].lock);
}

/* ---- for the tests ---------------------------------------------------- */

/* buckets: slots; probes: slots examined to find each record once;
 * longest: the longest probe. */
void kref_debug_table_stats_(struct kref_debug_table_stats_ *st)
{
	*st = (struct kref_debug_table_stats_){ 0 };
	for (unsigned int i = 0; i < STRIPES; i++) {
		struct stripe *s = &stripes[i];
		uintptr_t t;
		size_t n, mask;

		pthread_mutex_lock(&s->lock);
		t = table_locked(s);
		n = t ? (size_t)1 << order_of(t) : 0;
		mask = n - 1;
		st->buckets += n;
		for (size_t j = 0; j < n; j++) {
			const struct kref *kref = slots_of(t)[j].kref;
			size_t len;

			if (!kref)
				continue;
			len = ((j - home_of(hash_of(kref), order_of(t))) & mask) + 1;
			st->records++;
			st->probes += len;
			st->longest = len > st->longest ? len : st->longest;
		}
		st->released += s->released_count;
		pthread_mutex_unlock(&s->lock);
	}
}
