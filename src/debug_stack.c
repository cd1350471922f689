/* SPDX-License-Identifier: MIT */
/*
 * debug_stack.c - capturing call chains, and the depot that keeps each
 * distinct chain once (debug_stack.h says what for).
 *
 * The depot is one mmap'd block: a table of SLOTS ids, probed linearly
 * from the chain's hash, and the chains themselves, indexed by id.  A new
 * chain is written to a fresh id first, then published by a
 * compare-and-swap of an empty slot from 0 to that id; a thread that loses
 * the race compares against the winner's chain and, if it is the same,
 * returns the winner's id (its own id is then never used).  Nothing is
 * ever removed, so a published id and its chain never change: readers
 * need no lock, and a fork child inherits a consistent depot whatever
 * other threads were doing.  At most MAX_IDS ids are handed out, so the
 * table stays at most half full and probes stay short.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unwind.h>

#include "debug_stack.h"

#define SLOT_BITS	17
#define SLOTS		(1u << SLOT_BITS)
#define FIRST_ID	2u		/* after NONE and FULL */
#define MAX_IDS		(SLOTS / 2)	/* 65,536 chains, ids included */

/* x86-64 and AArch64 keep {previous frame pointer, return address} where
 * the frame pointer points; other ABIs differ, and use the unwinder. */
#if defined(__x86_64__) || defined(__aarch64__)
#define HAVE_FP_WALK 1
#else
#define HAVE_FP_WALK 0
#endif

#if defined(__has_attribute)
#if __has_attribute(no_sanitize)
/* The walk reads the program's stack wherever its frame pointers lead,
 * ASan's redzones included: the bounds checks, not ASan, keep it safe. */
#define NO_SANITIZE __attribute__((no_sanitize("address")))
#endif
#endif
#ifndef NO_SANITIZE
#define NO_SANITIZE __attribute__((no_sanitize_address))
#endif

struct chain {
	uint64_t hash;
	uint32_t depth;
	uintptr_t pc[KREF_CHAIN_DEPTH];
};

struct depot {
	atomic_uint handed_out;		/* ids given to new chains */
	atomic_uint slot[SLOTS];	/* 0: empty */
	struct chain chain[MAX_IDS];	/* by id */
};

/* Mapped at the first capture, never unmapped; MAP_FAILED if it cannot be. */
static _Atomic(struct depot *) depot;

static struct depot *get_depot(void)
{
	/* Acquire: the winner's mapping is zero-filled by the kernel, but a
	 * reader must not run ahead of the pointer it loads either way. */
	struct depot *d = atomic_load_explicit(&depot, memory_order_acquire);
	struct depot *expected = NULL;
	void *p;

	if (d)
		return d == MAP_FAILED ? NULL : d;
	p = mmap(NULL, sizeof(*d), PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	/* Release/acquire: as above; the loser unmaps its own block. */
	if (!atomic_compare_exchange_strong_explicit(&depot, &expected, p,
						     memory_order_acq_rel,
						     memory_order_acquire)) {
		if (p != MAP_FAILED)
			munmap(p, sizeof(*d));
		p = expected;
	}
	return p == MAP_FAILED ? NULL : p;
}

/* ---- the calling thread's stack ------------------------------------- */

enum { BOUNDS_UNKNOWN, BOUNDS_LOOKING, BOUNDS_KNOWN, BOUNDS_NONE };

/* Per thread, looked up once: a thread's stack does not move, and a fork
 * child's thread runs on the very stack its parent's did. */
static _Thread_local struct {
	uintptr_t lo, hi;
	int state;
} stack;

/* False while this thread is looking its bounds up: pthread_getattr_np()
 * allocates, and a malloc interposer's capture then lands here. */
static bool stack_bounds(uintptr_t *lo, uintptr_t *hi)
{
	if (__builtin_expect(stack.state != BOUNDS_KNOWN, 0)) {
		pthread_attr_t attr;
		void *addr;
		size_t size;

		if (stack.state != BOUNDS_UNKNOWN)
			return false;
		stack.state = BOUNDS_LOOKING;
		if (pthread_getattr_np(pthread_self(), &attr) != 0) {
			stack.state = BOUNDS_NONE;
			return false;
		}
		if (pthread_attr_getstack(&attr, &addr, &size) == 0 && size) {
			stack.lo = (uintptr_t)addr;
			stack.hi = (uintptr_t)addr + size;
			stack.state = BOUNDS_KNOWN;
		} else {
			stack.state = BOUNDS_NONE;
		}
		pthread_attr_destroy(&attr);
		if (stack.state != BOUNDS_KNOWN)
			return false;
	}
	*lo = stack.lo;
	*hi = stack.hi;
	return true;
}

/* ---- capture ---------------------------------------------------------- */

#define RECORD_WORDS 2	/* {previous frame pointer, return address} */

/*
 * Follows frame records up from @frame.  Every record read lies inside this
 * thread's stack, above the previous one and aligned, so the reads cannot
 * fault; the walk stops at the first record that is not, and at a return
 * address that cannot be one (the outermost frame's is 0).
 */
NO_SANITIZE static unsigned int walk_fp(uintptr_t *pc, const void *frame)
{
	uintptr_t lo, hi, f = (uintptr_t)frame, top;
	unsigned int n = 1;

	if (!HAVE_FP_WALK || !stack_bounds(&lo, &hi) ||
	    hi - lo < RECORD_WORDS * sizeof(uintptr_t))
		return 1;
	top = hi - RECORD_WORDS * sizeof(uintptr_t);
	if (f < lo || f > top || f % sizeof(uintptr_t) ||
	    ((const uintptr_t *)f)[1] != pc[0])
		return 1;
	while (n < KREF_CHAIN_DEPTH) {
		uintptr_t next = ((const uintptr_t *)f)[0], ret;

		if (next <= f || next > top || next % sizeof(uintptr_t))
			break;
		ret = ((const uintptr_t *)next)[1];
		if (ret < 4096)
			break;
		pc[n++] = ret;
		f = next;
	}
	return n;
}

struct unwind_walk {
	uintptr_t *pc;
	uintptr_t from;
	unsigned int n;
};

static _Unwind_Reason_Code unwind_frame(struct _Unwind_Context *ctx, void *arg)
{
	struct unwind_walk *w = arg;
	int before = 0;
	uintptr_t ip = (uintptr_t)_Unwind_GetIPInfo(ctx, &before);

	/* A signal frame's ip is the interrupted instruction itself: kept
	 * one on, so that every frame is looked up at "return address - 1". */
	if (before)
		ip++;
	if (!w->n) {
		/* Our own frames and the public entry point's, until @from.
		 * Bit 0 ignored: ARM's unwinder clears the Thumb bit. */
		if ((ip | 1) != (w->from | 1))
			return _URC_NO_REASON;
		ip = w->from;
	}
	w->pc[w->n++] = ip;
	return w->n == KREF_CHAIN_DEPTH ? _URC_END_OF_STACK : _URC_NO_REASON;
}

static unsigned int walk_unwind(uintptr_t *pc, const void *from)
{
	struct unwind_walk w = { pc, (uintptr_t)from, 0 };

	_Unwind_Backtrace(unwind_frame, &w);
	return w.n ? w.n : 1;
}

/* -1 until the first capture reads KREF_DEBUG_UNWIND. */
static atomic_int unwind_how = -1;

enum kref_unwind kref_chain_unwind_(void)
{
	/* Relaxed: the choice orders no data; racing first captures agree. */
	int how = atomic_load_explicit(&unwind_how, memory_order_relaxed);

	if (__builtin_expect(how < 0, 0)) {
		const char *v = getenv("KREF_DEBUG_UNWIND");

		how = !HAVE_FP_WALK || (v && strcmp(v, "exact") == 0) ?
			KREF_UNWIND_EXACT : KREF_UNWIND_FP;
		atomic_store_explicit(&unwind_how, how, memory_order_relaxed);
	}
	return (enum kref_unwind)how;
}

void kref_chain_set_unwind_(enum kref_unwind how)
{
	if (!HAVE_FP_WALK)
		how = KREF_UNWIND_EXACT;
	/* Relaxed: as in kref_chain_unwind_(). */
	atomic_store_explicit(&unwind_how, (int)how, memory_order_relaxed);
}

/* ---- the depot -------------------------------------------------------- */

static uint64_t hash_chain(const uintptr_t *pc, unsigned int n)
{
	uint64_t h = n;

	/* The rotation carries each frame's high bits down to where the
	 * next multiplication spreads them; the slot is the top bits. */
	for (unsigned int i = 0; i < n; i++)
		h = ((h << 29 | h >> 35) ^ (uint64_t)pc[i]) * 0x9E3779B97F4A7C15ull;
	return h ^ h >> 31;
}

static bool same_chain(const struct chain *c, uint64_t h, const uintptr_t *pc,
		       unsigned int n)
{
	return c->hash == h && c->depth == n &&
	       memcmp(c->pc, pc, n * sizeof(*pc)) == 0;
}

/* A fresh id, or FULL; never hands out one twice. */
static kref_chain_t new_id(struct depot *d)
{
	unsigned int k;

	/* Relaxed: an id is only a unique number until its slot's
	 * compare-and-swap publishes it.  The load first keeps a full depot's
	 * counter from wrapping. */
	if (atomic_load_explicit(&d->handed_out, memory_order_relaxed) >=
	    MAX_IDS - FIRST_ID)
		return KREF_CHAIN_FULL;
	k = atomic_fetch_add_explicit(&d->handed_out, 1, memory_order_relaxed);
	return k < MAX_IDS - FIRST_ID ? FIRST_ID + k : KREF_CHAIN_FULL;
}

static kref_chain_t find_or_add(struct depot *d, const uintptr_t *pc,
				unsigned int n)
{
	uint64_t h = hash_chain(pc, n);
	unsigned int i = (unsigned int)(h >> (64 - SLOT_BITS));
	kref_chain_t mine = KREF_CHAIN_NONE;

	for (unsigned int probes = 0; probes < SLOTS; probes++) {
		/* Acquire: pairs with the publishing CAS's release, so the
		 * chain behind the id is read as its writer left it. */
		kref_chain_t id = atomic_load_explicit(&d->slot[i],
						       memory_order_acquire);

		if (!id) {
			if (!mine) {
				mine = new_id(d);
				if (mine == KREF_CHAIN_FULL)
					return mine;
				d->chain[mine].hash = h;
				d->chain[mine].depth = n;
				memcpy(d->chain[mine].pc, pc, n * sizeof(*pc));
			}
			/* Release: publishes the chain just written;
			 * acquire on failure: as the load above. */
			if (atomic_compare_exchange_strong_explicit(
				    &d->slot[i], &id, mine, memory_order_release,
				    memory_order_acquire))
				return mine;
		}
		if (same_chain(&d->chain[id], h, pc, n))
			return id;
		i = (i + 1) & (SLOTS - 1);
	}
	return KREF_CHAIN_FULL;
}

kref_chain_t kref_chain_capture_(const void *from, const void *frame)
{
	uintptr_t pc[KREF_CHAIN_DEPTH];
	struct depot *d = get_depot();
	unsigned int n;

	if (!d)
		return KREF_CHAIN_FULL;
	pc[0] = (uintptr_t)from;
	if (kref_chain_unwind_() == KREF_UNWIND_FP)
		n = walk_fp(pc, frame);
	else
		n = walk_unwind(pc, from);
	return find_or_add(d, pc, n);
}

unsigned int kref_chain_frames_(kref_chain_t id, const void **pcs,
				unsigned int max)
{
	/* Acquire: as in get_depot(). */
	struct depot *d = atomic_load_explicit(&depot, memory_order_acquire);
	const struct chain *c;
	unsigned int n;

	/* Relaxed: an id this thread was given, directly or through a
	 * record's lock, was counted before it was given. */
	if (!d || d == MAP_FAILED || id < FIRST_ID ||
	    id - FIRST_ID >= atomic_load_explicit(&d->handed_out,
						   memory_order_relaxed))
		return 0;
	c = &d->chain[id];
	n = c->depth < max ? c->depth : max;
	for (unsigned int i = 0; i < n; i++)
		pcs[i] = (const void *)c->pc[i];
	return n;
}

void kref_chain_stats_(size_t *chains, size_t *capacity)
{
	struct depot *d = atomic_load_explicit(&depot, memory_order_acquire);
	unsigned int k = 0;

	if (d && d != MAP_FAILED)
		/* Relaxed: a count for tests. */
		k = atomic_load_explicit(&d->handed_out, memory_order_relaxed);
	*chains = k < MAX_IDS - FIRST_ID ? k : MAX_IDS - FIRST_ID;
	*capacity = MAX_IDS - FIRST_ID;
}
