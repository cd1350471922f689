/* SPDX-License-Identifier: MIT */
/*
 * test_stress_rcuref.c - rcuref_t raced at the edges of its zones.
 *
 * Rounds of four kinds, each started from a chosen counter value, with
 * THREADS threads getting and putting at once:
 *  - near 0: every thread holds one reference and looks the object up
 *    again and again (rcuref_get, as an RCU reader would); the owner's
 *    last put and the threads' own puts race those lookups.  Exactly one
 *    put must return true, the object must end RCUREF_DEAD, and no thread
 *    may see the poison the releaser writes while it holds a reference.
 *  - near RCUREF_MAXREF: room for every reference taken, exactly: the
 *    count must come back to where it started, no report, no release.
 *  - at and just past RCUREF_MAXREF, around RCUREF_SATURATED: the counter
 *    saturates, every get succeeds, no put releases, it stays saturated.
 *  - around RCUREF_DEAD: every get fails, the object is never revived.
 * Unset, KREF_STRESS_SCALE gives make check's short run; make stress sets
 * it to N for N times PER_SCALE times as many rounds (about 2 s each here).
 */
#include <stdlib.h>
#include <kref.h>
#include "tap.h"

#define THREADS		4
#define HOLD		8	/* references a thread holds at most at once */
#define GOOD		0x600dU
#define POISON		0xdeadU
#define ROUNDS_ZERO	3000
#define ROUNDS_EDGE	300
#define OPS_EDGE	2000
#define PER_SCALE	8

enum kind { NEAR_ZERO, NEAR_MAXREF, SATURATING, SATURATED, NEAR_DEAD, KINDS };
static const char *const kind_name[KINDS] = {
	"near 0 (the last put racing lookups)", "near RCUREF_MAXREF",
	"at RCUREF_MAXREF and just past it, saturating", "around RCUREF_SATURATED",
	"around RCUREF_DEAD",
};

static struct {
	rcuref_t ref;
	atomic_uint payload[4];
} obj;

static enum kind kind;
static pthread_barrier_t go, done;
static atomic_long releases, poison_seen, failed_gets, lucky_gets, bad_puts;
static long scale = 1;

static unsigned int raw(void)
{
	return (unsigned int)kref_atomic_read_(&obj.ref.refcnt);
}

static void set_raw(unsigned int v)
{
	kref_atomic_set_(&obj.ref.refcnt, (int)v);
}

/* Holding a reference: the object is not released, and the counter
 * holds at least our reference (no put can have taken it past 0). */
static void check_payload(void)
{
	for (int i = 0; i < 4; i++)
		if (atomic_load_explicit(&obj.payload[i], memory_order_relaxed) != GOOD)
			atomic_fetch_add(&poison_seen, 1);
	if (raw() > RCUREF_MAXREF)
		atomic_fetch_add(&poison_seen, 1);
}

/* rcuref_put() returned true: we release; the memory stays (RCU). */
static void release(void)
{
	atomic_fetch_add(&releases, 1);
	for (int i = 0; i < 4; i++)
		atomic_store_explicit(&obj.payload[i], POISON, memory_order_relaxed);
}

static void put(void)
{
	if (rcuref_put(&obj.ref))
		release();
}

static unsigned int next_random(unsigned int *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

/* Holding one reference: a few nested gets and puts, then ours goes, at
 * about the moment the others' go; then lookups until the object is dead,
 * racing whichever put is the last. */
static void near_zero(unsigned int *seed)
{
	int nested = (int)(next_random(seed) % 4);

	for (int i = 0; i < nested; i++) {
		if (!rcuref_get(&obj.ref)) {
			atomic_fetch_add(&failed_gets, 1);	/* must not: we hold one */
			continue;
		}
		check_payload();
		put();
	}
	check_payload();
	put();				/* our own */
	for (int i = 0; i < 64; i++) {	/* an RCU reader's lookups */
		if (!rcuref_get(&obj.ref))
			break;
		check_payload();
		check_payload();	/* still, a little later */
		put();
	}
}

/* Up to HOLD references at once, in a random pattern; every get must
 * succeed (want_gets) or fail (!want_gets). */
static void edge(unsigned int *seed, bool want_gets)
{
	int held = 0;

	for (int i = 0; i < OPS_EDGE; i++) {
		if (held < HOLD && (held == 0 || next_random(seed) & 1)) {
			if (rcuref_get(&obj.ref) == want_gets) {
				held += want_gets;
			} else {
				atomic_fetch_add(want_gets ? &failed_gets : &lucky_gets, 1);
				held += !want_gets;
			}
		} else if (held > 0) {
			if (rcuref_put(&obj.ref))
				atomic_fetch_add(&bad_puts, 1);
			held--;
		}
	}
	while (held-- > 0)
		if (rcuref_put(&obj.ref))
			atomic_fetch_add(&bad_puts, 1);
}

static void *worker(void *arg)
{
	unsigned int seed = 88172645u + (unsigned int)(size_t)arg * 104729u;

	for (;;) {
		pthread_barrier_wait(&go);
		switch (kind) {
		case KINDS:
			return NULL;
		case NEAR_ZERO:
			near_zero(&seed);
			break;
		case NEAR_DEAD:
			edge(&seed, false);
			break;
		default:
			edge(&seed, true);
		}
		pthread_barrier_wait(&done);
	}
}

/* Runs @rounds rounds of @k from @start; returns how many ended right. */
static int run(enum kind k, int rounds)
{
	unsigned int seed = 5u + (unsigned int)k, start = 0, end;
	int right = 0;

	for (int r = 0; r < rounds; r++) {
		switch (k) {
		case NEAR_ZERO:
			start = THREADS;	/* THREADS + 1 references: ours too */
			break;
		case NEAR_MAXREF:
			start = RCUREF_MAXREF - THREADS * HOLD;
			break;
		case SATURATING:
			start = RCUREF_MAXREF + next_random(&seed) % (THREADS * HOLD);
			break;
		case SATURATED:
			start = RCUREF_SATURATED - THREADS * HOLD +
				next_random(&seed) % (2 * THREADS * HOLD);
			break;
		default:
			start = RCUREF_DEAD - THREADS * HOLD +
				next_random(&seed) % (2 * THREADS * HOLD);
		}
		set_raw(start);
		for (int i = 0; i < 4; i++)
			atomic_store(&obj.payload[i], GOOD);
		atomic_store(&releases, 0);
		kind = k;
		pthread_barrier_wait(&go);
		if (k == NEAR_ZERO)
			near_zero(&seed);	/* the owner: one of them */
		pthread_barrier_wait(&done);
		end = raw();
		switch (k) {
		case NEAR_ZERO:
			right += atomic_load(&releases) == 1 && end == RCUREF_DEAD;
			break;
		case NEAR_MAXREF:
			right += atomic_load(&releases) == 0 && end == start;
			break;
		case SATURATING:
		case SATURATED:
			right += end >= RCUREF_MAXREF + 1u && end < RCUREF_RELEASED;
			break;
		default:
			right += end >= RCUREF_RELEASED && end != RCUREF_NOREF;
		}
	}
	return right;
}

int main(void)
{
	pthread_t t[THREADS];
	const char *s = getenv("KREF_STRESS_SCALE");
	int rounds[KINDS] = { ROUNDS_ZERO, ROUNDS_EDGE, ROUNDS_EDGE, ROUNDS_EDGE,
			      ROUNDS_EDGE };

	if (s && atol(s) > 0)
		scale = PER_SCALE * atol(s);
	pthread_barrier_init(&go, NULL, THREADS + 1);
	pthread_barrier_init(&done, NULL, THREADS + 1);
	for (size_t i = 0; i < THREADS; i++)
		pthread_create(&t[i], NULL, worker, (void *)i);
	for (int k = 0; k < KINDS; k++) {
		int n = (int)(rounds[k] * scale), right;

		atomic_store(&failed_gets, 0);
		atomic_store(&lucky_gets, 0);
		atomic_store(&bad_puts, 0);
		atomic_store(&poison_seen, 0);
		right = run((enum kind)k, n);
		is(right, n, "%s: %d rounds of %d threads, each ended right",
		   kind_name[k], n, THREADS + (k == NEAR_ZERO));
		if (k == NEAR_ZERO)
			is(atomic_load(&poison_seen), 0, "  released exactly once, "
			   "never while a thread held a reference");
		if (k == NEAR_DEAD)
			is(atomic_load(&lucky_gets), 0, "  every get failed: the "
			   "dead object was never revived");
		else
			is(atomic_load(&failed_gets), 0, "  every get while holding "
			   "a reference succeeded");
		if (k != NEAR_ZERO)
			is(atomic_load(&bad_puts), 0, "  no put released the object");
	}
	kind = KINDS;
	pthread_barrier_wait(&go);
	for (int i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	return done_testing();
}
