/* SPDX-License-Identifier: MIT */
/*
 * debug_alloc.c - the allocator watch: whether the memory of a released
 * kref has been freed, known without reading it.
 *
 * Released memory cannot be judged by what it holds: free() writes its own
 * links over the first words of a block (where the kref usually is), ASan's
 * allocator leaves other values there, and a block that was mmap'd is not
 * mapped at all.  So debug mode watches the allocator instead.  libkref-debug
 * is linked into the program, whose own definitions of malloc() and free()
 * come before the C library's: these pass every call on to the next
 * allocator (the C library's, AddressSanitizer's, Valgrind's), and note
 *  - at each kref_init of a tracked object, its kref (debug_watch);
 *  - at each free(), the watched krefs inside the block: FREED, whether
 *    their objects were released (a put after that is reported without a
 *    read) or not (an object freed on an error path after kref_init, never
 *    published: not a leak);
 *  - at each block handed out, the watched krefs inside it: no longer
 *    watched, the memory is someone else's (a new object, tracked or not).
 * They are weak, so a program's own malloc, or a sanitizer's runtime linked
 * statically, takes precedence; then the watch is inactive and debug mode
 * falls back on AddressSanitizer's shadow memory, or says once that it
 * cannot see freed memory.
 *
 * The watched krefs are kept by page, a bit per 4-byte slot, in PAGE_STRIPES
 * locked hash tables: a free() or malloc() looks at the pages its block
 * spans, and does nothing at all while no kref is watched.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <link.h>
#include <errno.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <unistd.h>

#include "debug_internal.h"

#define PAGE_SHIFT	12
#define SLOTS		((1u << PAGE_SHIFT) / 4)	/* 4-byte slots in a page */
#define WORDS		(SLOTS / 64)
#define PAGE_STRIPE_BITS 4
#define PAGE_STRIPES	(1u << PAGE_STRIPE_BITS)
#define PAGE_BUCKETS	4096	/* 65,536 in all: chains of 2 or 3 pages for
				   ten million 64-byte objects */

struct page {
	struct page *next;
	uintptr_t number;		/* address >> PAGE_SHIFT */
	uint64_t watched[WORDS];	/* a tracked kref in this slot */
	uint64_t freed[WORDS];		/* ... whose memory was freed */
};

static struct page_stripe {
	_Atomic uintptr_t owner;	/* the lock: its holder's pthread_self() */
	struct page *bucket[PAGE_BUCKETS];
} page_stripes[PAGE_STRIPES];

/*
 * A stripe's lock, held for a few dozen instructions.  Not a pthread
 * mutex: the owner word tells a fork child who held it (see fork below).
 * Not libkref's kref_lock either: this file is not instrumented, as it
 * runs before a sanitizer has set up the thread, and kref_lock is.
 */
static void lock_stripe(struct page_stripe *ps)
{
	uintptr_t free = 0, self = (uintptr_t)pthread_self();

	/* Acquire: the stripe's pages as the last holder left them. */
	while (!atomic_compare_exchange_weak_explicit(&ps->owner, &free, self,
						      memory_order_acquire,
						      memory_order_relaxed)) {
		free = 0;
		sched_yield();
	}
}

static void unlock_stripe(struct page_stripe *ps)
{
	/* Release: the next holder sees our changes to the pages. */
	atomic_store_explicit(&ps->owner, 0, memory_order_release);
}

/* Pages with a watched kref: while 0, malloc and free skip the watch.
 * Relaxed everywhere: a page is added, under its stripe's lock, by the
 * thread that released the kref, before that thread frees its memory; a
 * free() of that memory elsewhere is ordered after it by the program's own
 * synchronisation, which also orders this count. */
static atomic_size_t watched_pages;

/* ---- the next allocator ----------------------------------------------- */

static struct {
	void *(*malloc)(size_t);
	void (*free)(void *);
	void *(*calloc)(size_t, size_t);
	void *(*realloc)(void *, size_t);
	void *(*memalign)(size_t, size_t);
	int (*posix_memalign)(void **, size_t, size_t);
	void *(*aligned_alloc)(size_t, size_t);
	void *(*valloc)(size_t);
	void *(*pvalloc)(size_t);
	size_t (*usable_size)(void *);
} next;
static atomic_int next_state;	/* 0 unresolved, 1 resolving, 2 resolved */
static atomic_bool watch_seen;	/* our malloc or free was called */

/* dlsym() may allocate while it looks the allocator up: from here. */
static char boot_arena[64 * 1024] __attribute__((aligned(64)));
static atomic_size_t boot_used;

static bool in_boot_arena(const void *p)
{
	return (const char *)p >= boot_arena &&
	       (const char *)p < boot_arena + sizeof(boot_arena);
}

static void *boot_alloc(size_t size)
{
	size_t n = (size + 63) & ~(size_t)63;
	/* Relaxed: a bump pointer; each caller owns what it got. */
	size_t at = atomic_fetch_add_explicit(&boot_used, n, memory_order_relaxed);

	return at + n <= sizeof(boot_arena) ? boot_arena + at : NULL;
}

static _Thread_local bool resolving;

static void *lookup(const char *name)
{
	return dlsym(RTLD_NEXT, name);
}

/* False while this thread is looking the allocator up: use the arena. */
static bool resolve(void)
{
	/* Acquire: pairs with the release below; the pointers are set. */
	if (atomic_load_explicit(&next_state, memory_order_acquire) == 2)
		return true;
	if (resolving)
		return false;
	resolving = true;
	next.malloc = (void *(*)(size_t))lookup("malloc");
	next.free = (void (*)(void *))lookup("free");
	next.calloc = (void *(*)(size_t, size_t))lookup("calloc");
	next.realloc = (void *(*)(void *, size_t))lookup("realloc");
	next.memalign = (void *(*)(size_t, size_t))lookup("memalign");
	next.posix_memalign = (int (*)(void **, size_t, size_t))lookup("posix_memalign");
	next.aligned_alloc = (void *(*)(size_t, size_t))lookup("aligned_alloc");
	next.valloc = (void *(*)(size_t))lookup("valloc");
	next.pvalloc = (void *(*)(size_t))lookup("pvalloc");
	next.usable_size = (size_t (*)(void *))lookup("malloc_usable_size");
	resolving = false;
	if (!next.malloc || !next.free || !next.calloc || !next.realloc)
		abort();	/* no allocator after us: nothing can work */
	/* Release: another thread that sees 2 sees the pointers. */
	atomic_store_explicit(&next_state, 2, memory_order_release);
	return true;
}

/* ---- the page index --------------------------------------------------- */

static uint64_t page_hash(uintptr_t number)
{
	return (uint64_t)number * 0x9E3779B97F4A7C15ull;
}

static struct page_stripe *stripe_of(uintptr_t number)
{
	return &page_stripes[page_hash(number) >> (64 - PAGE_STRIPE_BITS)];
}

static struct page **bucket_of(struct page_stripe *ps, uintptr_t number)
{
	return &ps->bucket[(page_hash(number) >> 50) % PAGE_BUCKETS];
}

static struct page *find_page(struct page_stripe *ps, uintptr_t number)
{
	struct page *pg = *bucket_of(ps, number);

	while (pg && pg->number != number)
		pg = pg->next;
	return pg;
}

static bool page_empty(const struct page *pg)
{
	for (unsigned int i = 0; i < WORDS; i++)
		if (pg->watched[i])
			return false;
	return true;
}

static void remove_page(struct page_stripe *ps, struct page *pg)
{
	struct page **p = bucket_of(ps, pg->number);

	while (*p != pg)
		p = &(*p)->next;
	*p = pg->next;
	/* Relaxed: see watched_pages. */
	atomic_fetch_sub_explicit(&watched_pages, 1, memory_order_relaxed);
	next.free(pg);
}

static unsigned int slot_of(uintptr_t addr)
{
	return (unsigned int)((addr & ((1u << PAGE_SHIFT) - 1)) / 4);
}

void debug_watch(const struct kref *kref)
{
	uintptr_t addr = (uintptr_t)kref, number = addr >> PAGE_SHIFT;
	struct page_stripe *ps = stripe_of(number);
	unsigned int slot = slot_of(addr);
	struct page *pg;

	if (!resolve())
		return;
	lock_stripe(ps);
	pg = find_page(ps, number);
	if (!pg && (pg = next.calloc(1, sizeof(*pg)))) {
		struct page **b = bucket_of(ps, number);

		pg->number = number;
		pg->next = *b;
		*b = pg;
		/* Relaxed: see watched_pages. */
		atomic_fetch_add_explicit(&watched_pages, 1, memory_order_relaxed);
	}
	if (pg) {
		pg->watched[slot / 64] |= 1ull << (slot % 64);
		pg->freed[slot / 64] &= ~(1ull << (slot % 64));
	}
	unlock_stripe(ps);
}

void debug_unwatch(const struct kref *kref)
{
	uintptr_t addr = (uintptr_t)kref, number = addr >> PAGE_SHIFT;
	struct page_stripe *ps = stripe_of(number);
	unsigned int slot = slot_of(addr);
	struct page *pg;

	lock_stripe(ps);
	pg = find_page(ps, number);
	if (pg) {
		pg->watched[slot / 64] &= ~(1ull << (slot % 64));
		pg->freed[slot / 64] &= ~(1ull << (slot % 64));
		if (page_empty(pg))
			remove_page(ps, pg);
	}
	unlock_stripe(ps);
}

enum watch_state debug_watch_state(const struct kref *kref)
{
	uintptr_t addr = (uintptr_t)kref, number = addr >> PAGE_SHIFT;
	struct page_stripe *ps = stripe_of(number);
	unsigned int slot = slot_of(addr);
	enum watch_state state = WATCH_NONE;
	struct page *pg;

	lock_stripe(ps);
	pg = find_page(ps, number);
	if (pg && (pg->watched[slot / 64] >> (slot % 64) & 1))
		state = (pg->freed[slot / 64] >> (slot % 64) & 1) ?
			WATCH_FREED : WATCH_KEPT;
	unlock_stripe(ps);
	return state;
}

/* Slots [from, to) of a page, as a mask of word @w. */
static uint64_t range_mask(unsigned int w, unsigned int from, unsigned int to)
{
	unsigned int lo = w * 64, hi = lo + 64;

	if (to <= lo || from >= hi)
		return 0;
	from = from > lo ? from - lo : 0;
	to = to < hi ? to - lo : 64;
	return (to - from == 64 ? ~0ull : ((1ull << (to - from)) - 1) << from);
}

enum block_event {
	BLOCK_FREED,		/* its watched krefs are FREED */
	BLOCK_HANDED_OUT,	/* they are watched no more */
	BLOCK_LOOKED_AT,	/* nothing changes */
};

/* Applies @ev to the watched krefs in [block, block + size); true if
 * there were any. */
static bool note_block(const void *block, size_t size, enum block_event ev)
{
	uintptr_t addr = (uintptr_t)block, end = addr + size;
	bool found = false;

	/* Relaxed: see watched_pages. */
	if (!block || !size || end < addr ||
	    !atomic_load_explicit(&watched_pages, memory_order_relaxed))
		return false;
	for (uintptr_t number = addr >> PAGE_SHIFT;
	     number <= (end - 1) >> PAGE_SHIFT; number++) {
		struct page_stripe *ps = stripe_of(number);
		uintptr_t base = number << PAGE_SHIFT;
		unsigned int from = addr > base ? slot_of(addr) : 0;
		unsigned int to = end - base < (1u << PAGE_SHIFT) ?
				  (unsigned int)((end - base + 3) / 4) : SLOTS;
		struct page *pg;

		lock_stripe(ps);
		pg = find_page(ps, number);
		for (unsigned int w = 0; pg && w < WORDS; w++) {
			uint64_t m = range_mask(w, from, to);

			found |= (pg->watched[w] & m) != 0;
			if (ev == BLOCK_FREED)
				pg->freed[w] |= pg->watched[w] & m;
			else if (ev == BLOCK_HANDED_OUT)
				pg->watched[w] &= ~m, pg->freed[w] &= ~m;
		}
		if (pg && ev == BLOCK_HANDED_OUT && page_empty(pg))
			remove_page(ps, pg);
		unlock_stripe(ps);
	}
	return found;
}

/* ---- the allocator's entry points ------------------------------------- */

static void *handed_out(void *p, size_t size)
{
	/* Relaxed: a flag for debug_watch_active() only. */
	atomic_store_explicit(&watch_seen, true, memory_order_relaxed);
	note_block(p, size, BLOCK_HANDED_OUT);
	return p;
}

/*
 * LeakSanitizer takes what the dynamic loader allocates for reachable by
 * the allocation's caller, which must then be the loader, not our entry
 * point: the loader's allocations (which hold no kref) are passed on by a
 * tail call, leaving no frame of ours, under AddressSanitizer only.
 */
void __lsan_ignore_object(const void *p) __attribute__((weak));
static uintptr_t loader_start, loader_end;

static bool from_loader(const void *caller)
{
	if (!__lsan_ignore_object)
		return false;
	if (!loader_end) {
		struct dl_find_object o;

		/* AT_BASE: where the kernel loaded the loader. */
		if (!getauxval(AT_BASE) ||
		    _dl_find_object((void *)getauxval(AT_BASE), &o) != 0)
			return false;
		loader_start = (uintptr_t)o.dlfo_map_start;
		loader_end = (uintptr_t)o.dlfo_map_end;
	}
	return (uintptr_t)caller >= loader_start && (uintptr_t)caller < loader_end;
}

#define WATCH_ENTRY __attribute__((weak, visibility("default")))

static size_t usable(void *p)
{
	return next.usable_size ? next.usable_size(p) : 0;
}

WATCH_ENTRY void *malloc(size_t size)
{
	if (!resolve())
		return boot_alloc(size);
	if (from_loader(__builtin_return_address(0)))
		return next.malloc(size);
	return handed_out(next.malloc(size), size);
}

WATCH_ENTRY void free(void *p)
{
	if (!p || in_boot_arena(p))
		return;
	if (!resolve())
		return;		/* cannot happen: p came from an allocator */
	/* Relaxed: a flag for debug_watch_active() only. */
	atomic_store_explicit(&watch_seen, true, memory_order_relaxed);
	/* Before the block goes back: once it has, another thread may be
	 * handed it, and then its krefs are that thread's to stop watching. */
	if (atomic_load_explicit(&watched_pages, memory_order_relaxed))
		note_block(p, usable(p), BLOCK_FREED);
	next.free(p);
}

WATCH_ENTRY void *calloc(size_t n, size_t size)
{
	if (!resolve()) {
		void *p = n && size > (size_t)-1 / n ? NULL : boot_alloc(n * size);

		return p ? memset(p, 0, n * size) : NULL;
	}
	if (from_loader(__builtin_return_address(0)))
		return next.calloc(n, size);
	return handed_out(next.calloc(n, size), n * size);
}

WATCH_ENTRY void *realloc(void *old, size_t size)
{
	void *p;
	size_t had;

	if (!old)
		return malloc(size);
	if (!resolve())
		return NULL;
	if (in_boot_arena(old)) {
		if ((p = malloc(size)))
			memcpy(p, old, (size_t)(boot_arena + sizeof(boot_arena) -
						 (char *)old) < size ?
			       (size_t)(boot_arena + sizeof(boot_arena) - (char *)old) :
			       size);
		return p;
	}
	if (!size) {
		free(old);
		return NULL;
	}
	/* A block holding watched krefs may move: they are freed before it
	 * can be handed out again, so it is copied and freed as free() does.
	 * Relaxed: see watched_pages. */
	had = atomic_load_explicit(&watched_pages, memory_order_relaxed) ?
	      usable(old) : 0;
	if (had && note_block(old, had, BLOCK_LOOKED_AT)) {
		if (!(p = malloc(size)))
			return NULL;
		memcpy(p, old, had < size ? had : size);
		free(old);
		return p;
	}
	return handed_out(next.realloc(old, size), size);
}

WATCH_ENTRY void *reallocarray(void *old, size_t n, size_t size)
{
	if (n && size > (size_t)-1 / n) {
		errno = ENOMEM;
		return NULL;
	}
	return realloc(old, n * size);
}

WATCH_ENTRY int posix_memalign(void **out, size_t align, size_t size)
{
	int err;

	if (!resolve() || !next.posix_memalign)
		return ENOMEM;
	err = next.posix_memalign(out, align, size);
	if (!err)
		handed_out(*out, size);
	return err;
}

WATCH_ENTRY void *memalign(size_t align, size_t size)
{
	if (!resolve() || !next.memalign)
		return NULL;
	return handed_out(next.memalign(align, size), size);
}

WATCH_ENTRY void *aligned_alloc(size_t align, size_t size)
{
	if (!resolve() || !next.aligned_alloc)
		return NULL;
	return handed_out(next.aligned_alloc(align, size), size);
}

WATCH_ENTRY void *valloc(size_t size)
{
	if (!resolve() || !next.valloc)
		return NULL;
	return handed_out(next.valloc(size), size);
}

WATCH_ENTRY void *pvalloc(size_t size)
{
	if (!resolve() || !next.pvalloc)
		return NULL;
	return handed_out(next.pvalloc(size), size);
}

bool debug_watch_active(void)
{
	static atomic_int active;	/* 0 not known yet, 1 yes, 2 no */
	/* Relaxed: each thread may find out for itself; the answer is the
	 * same. */
	int a = atomic_load_explicit(&active, memory_order_relaxed);

	if (!a) {
		/* Through whatever malloc this program calls. */
		void *volatile p = malloc(1);

		free(p);
		a = atomic_load_explicit(&watch_seen, memory_order_relaxed) ? 1 : 2;
		atomic_store_explicit(&active, a, memory_order_relaxed);
	}
	return a == 1;
}

/* ---- is a released kref's memory dead? ----------------------------------- */

/* AddressSanitizer's, when the program runs under it. */
int __asan_address_is_poisoned(void const volatile *addr) __attribute__((weak));

/*
 * Reads the count at @kref without faulting; false if it is not mapped.
 * Where process_vm_readv() is not to be had (a seccomp filter, qemu-user),
 * the page is asked for with mincore(), which fails on an unmapped one,
 * and then read.
 */
static bool read_count(const struct kref *kref, unsigned int *count)
{
	struct iovec local = { count, sizeof(*count) };
	struct iovec remote = { (void *)(uintptr_t)kref, sizeof(*count) };
	long page = sysconf(_SC_PAGESIZE);
	unsigned char resident;

	if (process_vm_readv(getpid(), &local, 1, &remote, 1, 0) ==
	    (ssize_t)sizeof(*count))
		return true;
	if (errno == EFAULT || page <= 0 ||
	    mincore((void *)((uintptr_t)kref & ~((uintptr_t)page - 1)), 1,
		    &resident) != 0)
		return false;
	*count = kref_read(kref);
	return true;
}

enum released_memory debug_released_memory(const struct kref *kref)
{
	unsigned int count;

	if (debug_watch_state(kref) == WATCH_FREED ||
	    (__asan_address_is_poisoned && __asan_address_is_poisoned(kref)) ||
	    !read_count(kref, &count))
		return MEM_DEAD;
	/* Negative: saturated by a misuse since the final put. */
	return !count ? MEM_ZERO : (int)count < 0 ? MEM_DEAD : MEM_REUSED;
}

/* ---- fork ------------------------------------------------------------- */

/*
 * fork() waits for nothing here.  A stripe that another thread held at the
 * fork may be half updated in the child, where that thread does not
 * exist: the child drops its pages (set aside), so their krefs are
 * not watched there and count as memory handed out again, which makes
 * debug mode forget, never report.  A stripe the forking thread holds (a
 * signal handler's fork) is its own, finished when the handler returns.
 */
void debug_alloc_fork_child(void)
{
	/* Where a dropped stripe's pages stay reachable (LeakSanitizer). */
	static struct page_stripe dropped[PAGE_STRIPES];
	size_t pages = 0;

	for (unsigned int i = 0; i < PAGE_STRIPES; i++) {
		struct page_stripe *ps = &page_stripes[i];

		/* Relaxed: the child has one thread; this reads its memory. */
		uintptr_t owner = atomic_load_explicit(&ps->owner,
						       memory_order_relaxed);

		if (owner && owner != (uintptr_t)pthread_self()) {
			memcpy(&dropped[i], ps, sizeof(*ps));
			memset(ps, 0, sizeof(*ps));
			continue;
		}
		for (unsigned int b = 0; b < PAGE_BUCKETS; b++)
			for (struct page *pg = ps->bucket[b]; pg; pg = pg->next)
				pages++;
	}
	/* Relaxed: as for every access to it. */
	atomic_store_explicit(&watched_pages, pages, memory_order_relaxed);
}
