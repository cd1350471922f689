/* SPDX-License-Identifier: MIT */
/*
 * test_rcuref.c - rcuref_t: counting, the zones at their edges, the two
 * reports, rcuref_is_dead() at each zone's edges, and gets racing the last
 * put: exactly one release, by whoever holds the last reference.
 */
#include <signal.h>
#include <stdatomic.h>
#include <kref.h>
#include "child.h"
#include "tap.h"

static unsigned int raw(const rcuref_t *r)
{
	return (unsigned int)kref_atomic_read_(&r->refcnt);
}

static void set_raw(rcuref_t *r, unsigned int v)
{
	kref_atomic_set_(&r->refcnt, (int)v);
}

static void test_counting(void)
{
	rcuref_t r = RCUREF_INIT(1);

	is(sizeof(rcuref_t), 4, "rcuref_t is 4 bytes");
	is(rcuref_read(&r), 1, "RCUREF_INIT(1) reads 1");
	is(raw(&r), RCUREF_ONEREF, "  stored as RCUREF_ONEREF");
	rcuref_init(&r, 3);
	is(rcuref_read(&r), 3, "rcuref_init(3) reads 3");
	ok(rcuref_get(&r), "get on a live object succeeds");
	is(rcuref_read(&r), 4, "  and counts");
	ok(!rcuref_put(&r) && !rcuref_put(&r) && !rcuref_put(&r),
	   "puts that leave a reference return false");
	is(rcuref_read(&r), 1, "  down to 1");
	ok(rcuref_put(&r), "the last put returns true");
	is(raw(&r), RCUREF_DEAD, "  and marks the counter RCUREF_DEAD");
	is(rcuref_read(&r), 0, "  which reads 0");
	ok(!rcuref_get(&r), "a get on a dead object fails");
	is(raw(&r), RCUREF_DEAD, "  and leaves it in the middle of the dead zone");
}

static void test_zones(void)
{
	rcuref_t r;

	set_raw(&r, RCUREF_MAXREF - 1);
	ok(rcuref_get(&r) && raw(&r) == RCUREF_MAXREF,
	   "a get up to RCUREF_MAXREF stays in the fast path");
	set_raw(&r, RCUREF_NOREF);
	ok(rcuref_get(&r) && raw(&r) == RCUREF_ONEREF,
	   "a get at RCUREF_NOREF (last put in flight) takes the reference");
	set_raw(&r, RCUREF_RELEASED);
	ok(!rcuref_get(&r) && raw(&r) == RCUREF_DEAD,
	   "a get at the start of the released zone fails, back to DEAD");
	set_raw(&r, RCUREF_NOREF - 1);
	ok(!rcuref_get(&r) && raw(&r) == RCUREF_DEAD,
	   "a get at the end of the released zone fails, back to DEAD");
	set_raw(&r, RCUREF_SATURATED);
	ok(!rcuref_put(&r) && raw(&r) == RCUREF_SATURATED,
	   "a put on a saturated counter returns false and stays saturated");
}

/* rcuref_is_dead() at every zone's edges: only the released zone is dead,
 * NOREF (a last put still deciding) is not, though rcuref_read() gives 0
 * for both. */
static void test_is_dead(void)
{
	static const struct {
		unsigned int raw;
		bool dead;
		const char *what;
	} edge[] = {
		{ RCUREF_ONEREF, false, "one reference" },
		{ RCUREF_MAXREF, false, "RCUREF_MAXREF" },
		{ RCUREF_MAXREF + 1, false, "the first saturated value" },
		{ RCUREF_SATURATED, false, "RCUREF_SATURATED" },
		{ RCUREF_RELEASED - 1, false, "the last saturated value" },
		{ RCUREF_RELEASED, true, "RCUREF_RELEASED" },
		{ RCUREF_DEAD, true, "RCUREF_DEAD" },
		{ RCUREF_NOREF - 1, true, "the last released value" },
		{ RCUREF_NOREF, false, "RCUREF_NOREF" },
	};
	rcuref_t r = RCUREF_INIT(2);

	for (size_t i = 0; i < sizeof(edge) / sizeof(edge[0]); i++) {
		set_raw(&r, edge[i].raw);
		is(rcuref_is_dead(&r), edge[i].dead, "rcuref_is_dead at %s (%#x): %s",
		   edge[i].what, edge[i].raw, edge[i].dead ? "dead" : "not dead");
	}
	set_raw(&r, RCUREF_NOREF);
	ok(rcuref_read(&r) == 0 && !rcuref_is_dead(&r),
	   "  at NOREF rcuref_read gives 0, as for a dead object; is_dead tells them apart");
	rcuref_init(&r, 2);
	ok(!rcuref_is_dead(&r) && !rcuref_put(&r) && !rcuref_is_dead(&r),
	   "not dead while references remain");
	ok(rcuref_put(&r) && rcuref_is_dead(&r), "dead once a put returned true");
	ok(!rcuref_get(&r) && rcuref_is_dead(&r), "  and a failed get leaves it dead");
}

static int saturate(void)
{
	rcuref_t r;
	int got;

	set_raw(&r, RCUREF_MAXREF);
	got = rcuref_get(&r);
	fprintf(stderr, "got=%d raw=%#x\n", got, raw(&r));
	set_raw(&r, RCUREF_MAXREF);
	got = rcuref_get(&r);
	fprintf(stderr, "got=%d\n", got);
	return 0;
}

static int imbalanced_put(void)
{
	rcuref_t r = RCUREF_INIT(1);
	int last = rcuref_put(&r);
	int again = rcuref_put(&r);

	fprintf(stderr, "last=%d again=%d raw=%#x\n", last, again, raw(&r));
	return 0;
}

static void test_reports(void)
{
	run_child(saturate, NULL);
	ok(strstr(output, "got=1 raw=0xa0000000\n") != NULL,
	   "overflowing get succeeds and saturates at RCUREF_SATURATED");
	is(count_lines("rcuref saturated - leaking memory"), 1,
	   "  reported with the kernel's text, once");
	run_child(imbalanced_put, NULL);
	ok(strstr(output, "last=1 again=0 raw=0xe0000000\n") != NULL,
	   "a put after the last returns false and leaves it DEAD");
	is(count_lines("rcuref - imbalanced put()"), 1,
	   "  reported with the kernel's text");
	ok(WIFSIGNALED(run_child(imbalanced_put, "1")),
	   "  and KREF_ABORT=1 makes it fatal");
}

/* ---- gets racing the last put ----------------------------------------- */

#define ROUNDS 20000

static rcuref_t shared;
static pthread_barrier_t go, done;
static atomic_int got, getter_released, held_dead;

static void *getter(void *arg)
{
	(void)arg;
	for (int i = 0; i < ROUNDS; i++) {
		pthread_barrier_wait(&go);
		if (rcuref_get(&shared)) {
			atomic_store(&got, 1);
			/* We hold a reference: it cannot be released. */
			if (raw(&shared) >= RCUREF_RELEASED)
				atomic_fetch_add(&held_dead, 1);
			atomic_store(&getter_released, rcuref_put(&shared));
		}
		pthread_barrier_wait(&done);
	}
	return NULL;
}

/* The owner puts its last reference while the getter tries to get one:
 * exactly one of them releases, never while the other holds a reference. */
static void test_race(void)
{
	pthread_t t;
	int right = 0, gets = 0;

	pthread_barrier_init(&go, NULL, 2);
	pthread_barrier_init(&done, NULL, 2);
	pthread_create(&t, NULL, getter, NULL);
	for (int i = 0; i < ROUNDS; i++) {
		int owner_released;

		rcuref_init(&shared, 1);
		atomic_store(&got, 0);
		atomic_store(&getter_released, 0);
		pthread_barrier_wait(&go);
		owner_released = rcuref_put(&shared);
		pthread_barrier_wait(&done);
		right += owner_released + atomic_load(&getter_released) == 1 &&
			 raw(&shared) == RCUREF_DEAD && rcuref_is_dead(&shared);
		gets += atomic_load(&got);
	}
	pthread_join(t, NULL);
	is(right, ROUNDS, "%d races of a get with the last put: released "
	   "exactly once, dead after", ROUNDS);
	is(atomic_load(&held_dead), 0, "never released while a get held a reference");
	diag("the get won %d of %d races", gets, ROUNDS);
}

int main(void)
{
	test_counting();
	test_zones();
	test_is_dead();
	test_reports();
	test_race();
	return done_testing();
}
