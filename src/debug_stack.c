/* SPDX-License-Identifier: MIT */
/*
 * debug_stack.c - capturing call chains, and the depot that keeps each
 * distinct chain once (debug_stack.h says what for).
 *
 * The depot is one mmap'd block: a table of SLOTS slots, probed linearly
 * from the chain's hash, and the chains themselves, indexed by id, each in
 * one cache line.  A slot holds the id, the chain's depth and a few bits
 * of its hash, so that a probe reads the chain only when it is likely the
 * one.  A new chain is written to a fresh id first, then published by a
 * compare-and-swap of an empty slot from 0; a thread that loses
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

/* A slot: TAG_BITS of the hash, depth - 1, the id; 0 when empty. */
#define ID_BITS		17
#define DEPTH_BITS	3
#define TAG_BITS	(32 - ID_BITS - DEPTH_BITS)
#define SLOT_OF(id, depth, tag) \
	((uint32_t)(tag) << (ID_BITS + DEPTH_BITS) | \
	 (uint32_t)((depth) - 1) << ID_BITS | (id))
#define ID_OF(slot)	((slot) & ((1u << ID_BITS) - 1))

_Static_assert(MAX_IDS <= 1u << ID_BITS, "ids fit in a slot");
_Static_assert(KREF_CHAIN_DEPTH <= 1u << DEPTH_BITS, "depths fit in a slot");

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
 * ASan's redzones and variables other threads may write included: the
 * bounds checks keep it safe, and what it reads there is not trusted. */
#define NO_SANITIZE __attribute__((no_sanitize("address", "thread")))
#endif
#endif
#ifndef NO_SANITIZE
#define NO_SANITIZE __attribute__((no_sanitize_address))
#endif

/* One cache line on LP64, where the block's alignment puts it. */
struct chain {
	uintptr_t pc[KREF_CHAIN_DEPTH];
};

struct depot {
	struct chain chain[MAX_IDS];	/* by id */
	atomic_uint slot[SLOTS];	/* SLOT_OF(), 0: empty */
	uint8_t depth[MAX_IDS];		/* by id */
	atomic_uint handed_out;		/* ids given to new chains */
};

/* Mapped at the first capture, never unmapped; MAP_FAILED if it cannot be. */
static _Atomic(struct depot *) depot;

static struct depot *get_depot(void)
{
	/* Acquire: pairs with the CAS that published the block (the
	 * kernel's zeros: nothing else to order, but nothing to lose). */
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
 * child's thread runs on the very stack its parent's did.  Initial-exec:
 * read at every capture, and in libkref.so the default model would call
 * __tls_get_addr each time; 24 bytes of the static TLS that glibc keeps
 * spare, should the library be dlopen'ed. */
static _Thread_local __attribute__((tls_model("initial-exec"))) struct {
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
		/* glibc declares pthread_getattr_np() leaf: calling nothing
		 * of ours.  Through malloc it may, so the store above must
		 * not be dropped or moved past the call. */
		atomic_signal_fence(memory_order_seq_cst);
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

/* Whether a frame record can be read at @f: inside the stack, aligned. */
static inline bool record_ok(uintptr_t f, uintptr_t lo, uintptr_t top)
{
	return f >= lo && f <= top && f % sizeof(uintptr_t) == 0;
}

/* Library frames that may lie between the capture and the entry point. */
#define MAX_HOPS 4

/*
 * Follows frame records up from the entry point's, whose return address is
 * pc[0].  The search for it starts at @own, kref_chain_capture_()'s own
 * record: the entry point's is usually the next one up, but the entry point
 * may have tail-called us (its record is gone, and ours returns to pc[0]),
 * or called us through a helper of its own.  Every record read lies inside
 * this thread's stack, above the previous one and aligned, so the reads
 * cannot fault; the walk stops at the first record that is not, and at a
 * return address that cannot be one (the outermost frame's is 0).
 */
NO_SANITIZE static unsigned int walk_fp(uintptr_t *pc, uintptr_t own)
{
	uintptr_t lo, hi, f = own, top, next;
	unsigned int n = 1;

	if (!HAVE_FP_WALK || !stack_bounds(&lo, &hi) ||
	    hi - lo < RECORD_WORDS * sizeof(uintptr_t))
		return 1;
	top = hi - RECORD_WORDS * sizeof(uintptr_t);
	if (!record_ok(own, lo, top))
		return 1;	/* a signal's alternate stack, a coroutine's */
	for (unsigned int hop = 0; ((const uintptr_t *)f)[1] != pc[0]; hop++) {
		next = ((const uintptr_t *)f)[0];
		if (hop == MAX_HOPS || next <= f || !record_ok(next, lo, top))
			return 1;
		f = next;
	}
	while (n < KREF_CHAIN_DEPTH) {
		uintptr_t ret;

		next = ((const uintptr_t *)f)[0];
		if (next <= f || !record_ok(next, lo, top))
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

/* Inlined in capture, which reads it every time. */
static inline enum kref_unwind unwind_method(void)
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

enum kref_unwind kref_chain_unwind_(void)
{
	return unwind_method();
}

void kref_chain_set_unwind_(enum kref_unwind how)
{
	if (!HAVE_FP_WALK)
		how = KREF_UNWIND_EXACT;
	/* Relaxed: as in kref_chain_unwind_(). */
	atomic_store_explicit(&unwind_how, (int)how, memory_order_relaxed);
}

/* ---- the depot -------------------------------------------------------- */

/* The frames' rotations are independent of each other, so the loop costs
 * little more than its loads; the multiplication then mixes every bit into
 * the top ones, which pick the slot and the tag. */
static uint64_t hash_chain(const uintptr_t *pc, unsigned int n)
{
	uint64_t h = n;

	for (unsigned int i = 0; i < n; i++) {
		uint64_t v = (uint64_t)pc[i];
		unsigned int r = 7 * i + 1;	/* 1..50: never 0 or 64 */

		h ^= v << r | v >> (64 - r);
	}
	h *= 0x9E3779B97F4A7C15ull;
	return h ^ h >> 32;
}

static bool same_chain(const struct chain *c, const uintptr_t *pc,
		       unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		if (c->pc[i] != pc[i])
			return false;
	return true;
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
	uint32_t tag = (uint32_t)(h >> (64 - SLOT_BITS - TAG_BITS)) &
		       ((1u << TAG_BITS) - 1);
	uint32_t want = SLOT_OF(0, n, tag), mine = 0;

	for (unsigned int probes = 0; probes < SLOTS; probes++) {
		/* Acquire: pairs with the publishing CAS's release, so the
		 * chain behind the id is read as its writer left it. */
		uint32_t slot = atomic_load_explicit(&d->slot[i],
						     memory_order_acquire);

		if (!slot) {
			if (!mine) {
				kref_chain_t id = new_id(d);

				if (id == KREF_CHAIN_FULL)
					return id;
				memcpy(d->chain[id].pc, pc, n * sizeof(*pc));
				d->depth[id] = (uint8_t)n;
				mine = want | id;
			}
			/* Release: publishes the chain just written;
			 * acquire on failure: as the load above. */
			if (atomic_compare_exchange_strong_explicit(
				    &d->slot[i], &slot, mine, memory_order_release,
				    memory_order_acquire))
				return ID_OF(mine);
		}
		if ((slot & ~ID_OF(slot)) == want &&
		    same_chain(&d->chain[ID_OF(slot)], pc, n))
			return ID_OF(slot);
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
	(void)frame;	/* its work was done: the entry point has a record */
	pc[0] = (uintptr_t)from;
	if (unwind_method() == KREF_UNWIND_FP)
		n = walk_fp(pc, (uintptr_t)__builtin_frame_address(0));
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
	n = d->depth[id] < max ? d->depth[id] : max;
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
