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

static struct kref_lock alloc_lock;
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

unsigned long *kref_percpu_alloc(void **chunk)
{
	struct chunk *c;
	unsigned long slot;
	bool reused;

	kref_lock(&alloc_lock);
	c = with_room ? with_room : chunk_new();
	if (!c) {
		kref_unlock(&alloc_lock);
		return NULL;
	}
	reused = c->free_top != 0;
	if (reused) {
		slot = c->free_top - 1;
		c->free_top = c->base[slot];
	} else {
		slot = c->fresh++;	/* still as mmap gave it: zero */
	}
	nr_used++;
	if (++c->used == SLOTS)
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
	if (c->used-- == SLOTS)
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
