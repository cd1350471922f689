/* SPDX-License-Identifier: MIT */
/*
 * percpu_alloc.c - percpu_ref's per-CPU counters, packed densely.
 *
 * A chunk is one mapping of percpu_ref_nr_cpus_ units, one page-sized unit
 * per CPU; a slot is an 8-byte counter at the same offset in every unit.
 * So a ref's counters cost 8 bytes per CPU, every line of a unit belongs
 * to one CPU (the fast path never writes a line another CPU writes), and
 * CPU c's counter is at the slot's address + c units, which the fast path
 * computes with one shift.
 *
 * Chunks with a free slot are on a list; a chunk's freed slots form a
 * stack threaded through their unit-0 counters, and slots never handed
 * out are taken from its end: allocating and freeing are O(1) in the
 * number of refs (zeroing a reused slot is O(CPUs)).  A chunk whose last
 * slot is freed is unmapped unless it is the only chunk with room.  One
 * lock for all: init and exit are not the fast path.
 *
 * A chunk's header is in its own mapping, in the last cache line of unit
 * 0 (those 8 slots are never handed out), not in malloc's heap: a header
 * malloc'ed among the refs' data would stay when they are freed, and the
 * kept chunk's header, allocated late, pinned the top of the heap above
 * every freed ref (18 MB after 390,000 refs, which malloc_trim could not
 * give back).  The allocator now allocates nothing from malloc.
 *
 * No 4K aliasing (issue 19): a load whose address has the same bits 11:0
 * as an earlier store still in flight waits for it, as if it read what
 * the store wrote.  The fast path stores to the counter and to the
 * thread's rseq_cs, and loads the ref's mode word, percpu_ref_nr_cpus_,
 * the thread's cpu_id and the counter; a get+put pair took up to 1.4
 * times as long when the counter's page offset matched one of the
 * others' (bench/percpu.c, part 4).  So a ref never gets a slot whose
 * 8-byte word of the page (bits 11:3; the words are aligned) is that of
 * its mode word, of percpu_ref_nr_cpus_, or of the initialising thread's
 * cpu_id or rseq_cs (other threads' areas may be elsewhere; glibc puts
 * every pthread's in the last line of a page, where no slot is).  The
 * words of percpu_ref_nr_cpus_ and of the main thread's rseq area are
 * the same for every ref: no chunk hands out a slot there, so a chunk
 * fills (and leaves the list) as before, at 501 slots or more.  A slot
 * in another ref's word is left for the next ref: at most four are
 * skipped, so a chunk's free stack is searched five deep, and two chunks
 * are tried before a new one is mapped.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/mman.h>

#include <kref/percpu.h>
#include "internal.h"

#define UNIT		(1UL << KREF_PERCPU_UNIT_SHIFT_)
#define HEADER		64UL	/* unit 0's last cache line */
#define SLOTS		((unsigned int)((UNIT - HEADER) / sizeof(unsigned long)))

struct chunk {				/* at base + UNIT - HEADER */
	unsigned long *base;		/* unit 0; unit c at base + c * UNIT */
	struct chunk *prev, *next;	/* on the list while it has room */
	unsigned int used;		/* slots handed out */
	unsigned int fresh;		/* slots from here on never were */
	unsigned long free_top;		/* freed slots' stack: index + 1 */
};
_Static_assert(sizeof(struct chunk) <= HEADER, "a chunk's header fits its line");

/* The 8-byte words of the page a ref's slot must not be in. */
#define AVOID		4
struct avoid { unsigned long word[AVOID]; };

static struct kref_lock alloc_lock;
bool kref_percpu_alias_blind_;
static struct chunk *with_room;
static size_t nr_chunks, nr_used;

void kref_percpu_alloc_lock(void)
{
	kref_lock(&alloc_lock);
}

void kref_percpu_alloc_unlock(void)
{
	kref_unlock(&alloc_lock);
}

bool kref_percpu_alloc_mine(void)
{
	return kref_lock_mine(&alloc_lock);
}

static void list_add(struct chunk *c)
{
	c->prev = NULL;
	c->next = with_room;
	if (with_room)
		with_room->prev = c;
	with_room = c;
}

static void list_del(struct chunk *c)
{
	if (c->prev)
		c->prev->next = c->next;
	else
		with_room = c->next;
	if (c->next)
		c->next->prev = c->prev;
}

static size_t chunk_bytes(void)
{
	return UNIT * percpu_ref_nr_cpus_;
}

static struct chunk *chunk_new(void)
{
	struct chunk *c;
	void *m = mmap(NULL, chunk_bytes(), PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (m == MAP_FAILED)
		return NULL;
	/* A huge page would make every CPU's unit resident at the first get;
	 * best effort, as THP may be off or unknown here. */
	madvise(m, chunk_bytes(), MADV_NOHUGEPAGE);
	c = (struct chunk *)((char *)m + UNIT - HEADER);	/* zero, as mmap gave it */
	c->base = m;
	list_add(c);
	nr_chunks++;
	return c;
}

/*
 * Counts left by the slot's last ref, or by this ref's last spell in
 * per-CPU mode: nobody adds to them now (atomic mode, after a switch).
 * Only those that are not 0 are written, so a CPU that never counted this
 * slot (an offline CPU) never gets its page made resident: reading an
 * untouched page maps the shared zero page.
 */
void kref_percpu_zero(unsigned long *counters)
{
	for (unsigned int cpu = 0; cpu < percpu_ref_nr_cpus_; cpu++) {
		unsigned long *c = (unsigned long *)((char *)counters + cpu * UNIT);

		if (*c)
			*c = 0;
	}
}

static unsigned long page_word(const void *p)
{
	return ((uintptr_t)p & (UNIT - 1)) / sizeof(unsigned long);
}

/*
 * The page words no chunk hands out a slot in: percpu_ref_nr_cpus_'s, and
 * the rseq cpu_id and rseq_cs of the thread that sets them: the main
 * thread, from a constructor, unless a ref was made first.  Set once, under
 * the lock, as a chunk's capacity depends on them.
 */
#define NEVER		3
static unsigned long never[NEVER];
static unsigned int slots_per_chunk;	/* 0 until never[] is set */

static bool never_slot(unsigned long slot)
{
	for (int i = 0; i < NEVER; i++)
		if (slot == never[i])
			return true;
	return false;
}

static void set_never_locked(void)
{
	if (slots_per_chunk)
		return;
	never[0] = never[1] = never[2] = page_word(&percpu_ref_nr_cpus_);
#ifdef KREF_PERCPU_RSEQ
	never[1] = page_word(&kref_rseq_area_()->cpu_id);
	never[2] = page_word(&kref_rseq_area_()->rseq_cs);
#endif
	slots_per_chunk = SLOTS;
	for (unsigned long s = 0; s < SLOTS; s++)
		slots_per_chunk -= never_slot(s);
}

__attribute__((constructor)) static void set_never_on_main_thread(void)
{
	kref_lock(&alloc_lock);
	set_never_locked();
	kref_unlock(&alloc_lock);
}

static void avoid_for(struct avoid *a, const void *mode_word)
{
	a->word[0] = page_word(mode_word);
	a->word[1] = page_word(&percpu_ref_nr_cpus_);
#ifdef KREF_PERCPU_RSEQ
	a->word[2] = page_word(&kref_rseq_area_()->cpu_id);
	a->word[3] = page_word(&kref_rseq_area_()->rseq_cs);
#else
	a->word[2] = a->word[3] = a->word[1];
#endif
}

/* Slot s is at page offset 8 s in every unit (units are page-aligned):
 * in the page's word s. */
static bool fits(unsigned long slot, const struct avoid *a)
{
	if (kref_percpu_alias_blind_)
		return true;
	for (int i = 0; i < AVOID; i++)
		if (slot == a->word[i])
			return false;
	return true;
}

/*
 * A slot of @c that fits @a, taken off the free stack (*@reused) or the
 * fresh ones, or false.  Of AVOID + 1 slots one fits; a fresh one that
 * does not goes on the free stack, for another ref.
 */
static bool take(struct chunk *c, const struct avoid *a, unsigned long *slot,
		 bool *reused)
{
	unsigned long *link = &c->free_top;

	for (int depth = 0; *link && depth <= AVOID; depth++) {
		unsigned long s = *link - 1;

		if (fits(s, a)) {
			*link = c->base[s];
			*slot = s;
			*reused = true;
			return true;
		}
		link = &c->base[s];
	}
	while (c->fresh < SLOTS) {
		unsigned long s = c->fresh++;	/* still as mmap gave it: zero */

		if (never_slot(s))
			continue;
		if (fits(s, a)) {
			*slot = s;
			*reused = false;
			return true;
		}
		c->base[s] = c->free_top;
		c->free_top = s + 1;
	}
	return false;
}

unsigned long *kref_percpu_alloc(void **chunk, const void *mode_word)
{
	struct chunk *c;
	struct avoid a;
	unsigned long slot;
	bool reused;

	avoid_for(&a, mode_word);
	kref_lock(&alloc_lock);
	set_never_locked();
	/* The first chunk with room, or the next: a chunk whose last free
	 * slots do not fit this ref stays on the list, for others. */
	c = with_room;
	if (c && !take(c, &a, &slot, &reused)) {
		c = c->next;
		if (c && !take(c, &a, &slot, &reused))
			c = NULL;
	}
	if (!c) {
		c = chunk_new();	/* 504 slots: one fits */
		if (!c) {
			kref_unlock(&alloc_lock);
			return NULL;
		}
		take(c, &a, &slot, &reused);
	}
	nr_used++;
	if (++c->used == slots_per_chunk)
		list_del(c);
	kref_unlock(&alloc_lock);
	if (reused)
		kref_percpu_zero(&c->base[slot]);
	*chunk = c;
	return &c->base[slot];
}

/* Only once no sequence can add to the counters (atomic mode, switched);
 * never with percpu.c's switch lock held (fork_prepare() in percpu.c). */
void kref_percpu_free(unsigned long *counters, void *chunk)
{
	struct chunk *c = chunk;
	unsigned long slot = (unsigned long)(counters - c->base);

	kref_lock(&alloc_lock);
	nr_used--;
	if (c->used-- == slots_per_chunk)
		list_add(c);
	if (!c->used && (c->prev || c->next)) {
		list_del(c);
		nr_chunks--;
		munmap(c->base, chunk_bytes());	/* the header with it */
	} else {
		c->base[slot] = c->free_top;
		c->free_top = slot + 1;
	}
	kref_unlock(&alloc_lock);
}

void kref_percpu_alloc_stats_(size_t *chunks, size_t *used)
{
	kref_lock(&alloc_lock);
	*chunks = nr_chunks;
	*used = nr_used;
	kref_unlock(&alloc_lock);
}
