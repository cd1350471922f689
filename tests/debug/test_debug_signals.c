/* SPDX-License-Identifier: MIT */
/*
 * test_debug_signals.c - debug mode under a storm of signals whose
 * handlers run kref operations: a profiling timer interrupts a loop of
 * gets and puts at arbitrary points (inside debug mode's locks too), and
 * each handler gets and puts an object and saturates another.  Nothing
 * waits for itself (an alarm() makes a hang a failure), every saturation
 * runs the warn handler exactly once, and every object is released.
 */
#include <signal.h>
#include <stdlib.h>
#include <sys/time.h>
#include <unistd.h>
#include <kref.h>
#include "tap.h"

#if KREF_ATOMIC_HOOK
int main(void)
{
	printf("1..0 # SKIP the hook build's critical section is a mutex, where "
	       "a part without atomics masks interrupts: no kref operation in a "
	       "signal handler there (the plain, asan, tsan and clang builds run it)\n");
	return 0;
}
#else
#define OBJECTS		256
#define SATURATIONS	64
#define PAIRS		2000000L

static struct kref objs[OBJECTS], saturated[SATURATIONS];
static volatile sig_atomic_t made;	/* saturations made in handlers */
static atomic_int handled;		/* warn handler calls */
static unsigned int signal_seed = 1;

static void keep(struct kref *k)
{
	(void)k;
}

static void count(refcount_t *r, enum refcount_saturation_type t)
{
	(void)r;
	(void)t;
	atomic_fetch_add(&handled, 1);
}

static void on_tick(int sig)
{
	struct kref *k = &objs[(unsigned int)rand_r(&signal_seed) % OBJECTS];

	(void)sig;
	kref_get(k);
	kref_put(k, keep);
	if (made < SATURATIONS) {
		struct kref *s = &saturated[made];

		refcount_set(&s->refcount, REFCOUNT_MAX);
		kref_get(s);
		made++;
	}
}

int main(void)
{
	struct itimerval every_50us = { { 0, 50 }, { 0, 50 } }, off = { 0 };
	unsigned int seed = 7;
	bool released = true;

	alarm(120);
	refcount_set_warn_handler(count);
	/* Here, not in the handler: debug mode's kref_init() allocates its
	 * record, which is not async-signal-safe. */
	for (int i = 0; i < OBJECTS; i++)
		kref_init(&objs[i]);
	for (int i = 0; i < SATURATIONS; i++)
		kref_init(&saturated[i]);
	sigaction(SIGPROF, &(struct sigaction){ .sa_handler = on_tick }, NULL);
	setitimer(ITIMER_PROF, &every_50us, NULL);
	for (long n = 0; n < PAIRS && made < SATURATIONS; n++) {
		struct kref *k = &objs[(unsigned int)rand_r(&seed) % OBJECTS];

		kref_get(k);
		kref_put(k, keep);
	}
	setitimer(ITIMER_PROF, &off, NULL);
	ok(made > 0, "signals came in during %ld gets and puts (%d saturations "
	   "made in their handlers)", PAIRS, (int)made);
	is(atomic_load(&handled), made, "each saturation ran the warn handler "
	   "once, none lost, none twice");
	for (int i = 0; i < OBJECTS; i++)
		released &= kref_put(&objs[i], keep) == 1;
	ok(released, "every object's last put releases it");
	return done_testing();
}
#endif
