/* SPDX-License-Identifier: MIT */
/*
 * test_percpu_window.c - the switch to atomic mode held open on purpose.
 *
 * The switching thread is stopped inside switch_to_atomic() (the test
 * hook of src/test_hooks.h), after __PERCPU_REF_ATOMIC is set and before
 * the per-CPU counters are summed.  Meanwhile the atomic count still holds
 * the bias (LONG_MIN) plus the owner's reference, and every get, tryget
 * and put goes to it: a put takes it across the edge to LONG_MAX, and a
 * tryget there must add 1 without signed overflow (the asan and tsan
 * builds check that with UBSan; the code before the fix failed here).
 * When the switch goes on, the sum must give the exact count, and the last
 * put must release, once.
 *
 * Build: percpu_hooks.o
 */
#include <semaphore.h>
#include <kref.h>
#include "../../src/test_hooks.h"
#include "percpu_mode.h"
#include "tap.h"

#define HOLDERS	3
#define HELD	4	/* references each holder keeps through the window */
#define OPS	2000	/* each holder's operations in the window */
#define ROUNDS	200
#define EXTRA	3	/* the main thread's own references in the window */

static struct percpu_ref ref;
static sem_t in_window, resume;
static atomic_bool hold_switch;
static atomic_int releases, puts_done, puts_at_release;
static atomic_int bad_tryget, live_in_window;
static pthread_barrier_t window_open, window_done;

static void hook(struct percpu_ref *r, enum kref_internal_hook_point point)
{
	if (r != &ref || point != KREF_INTERNAL_HOOK_SWITCH_FLAGGED ||
	    !atomic_exchange(&hold_switch, false))	/* once per hold */
		return;
	sem_post(&in_window);
	while (sem_wait(&resume) != 0)
		;
}

static void on_release(struct percpu_ref *r)
{
	(void)r;
	atomic_store(&puts_at_release, atomic_load(&puts_done));
	atomic_fetch_add(&releases, 1);
}

static void put(unsigned long nr)
{
	atomic_fetch_add(&puts_done, (int)nr);
	percpu_ref_put_many(&ref, nr);
}

static void *killer(void *arg)
{
	if (arg)
		percpu_ref_kill(&ref);
	else
		percpu_ref_switch_to_atomic_sync(&ref);
	return NULL;
}

/* Each holder has HELD references; in the window it moves the atomic
 * count up and down across the bias edge, then keeps its HELD. */
static void *holder(void *arg)
{
	bool killed;

	(void)arg;
	for (int round = 0; round < ROUNDS; round++) {
		pthread_barrier_wait(&window_open);
		killed = percpu_ref_is_dying(&ref);
		for (int i = 0; i < OPS; i++) {
			put(1);
			if (!percpu_ref_tryget(&ref))
				atomic_fetch_add(&bad_tryget, 1);
			if (!percpu_ref_tryget_many(&ref, 3))
				atomic_fetch_add(&bad_tryget, 1);
			put(3);
			percpu_ref_get_many(&ref, 2);
			put(2);
			if (percpu_ref_tryget_live(&ref)) {
				if (killed)
					atomic_fetch_add(&live_in_window, 1);
				put(1);
			}
		}
		pthread_barrier_wait(&window_done);
		pthread_barrier_wait(&window_done);	/* main checked the count */
		if (killed)
			put(HELD);
		pthread_barrier_wait(&window_done);
	}
	return NULL;
}

static long atomic_count(void)
{
	return atomic_load(&ref.data->count);
}

int main(void)
{
	pthread_t holders[HOLDERS], k;
	int exact = 0, once = 0, last = 0, edge = 0;
	unsigned long n;

	if (!percpu_mode()) {
		printf("1..0 # SKIP per-CPU mode unavailable: no switch window "
		       "(needs x86-64 or aarch64, glibc 2.35, Linux 5.10)\n");
		return 0;
	}
	kref_internal_percpu_hook = hook;
	sem_init(&in_window, 0, 0);
	sem_init(&resume, 0, 0);
	pthread_barrier_init(&window_open, NULL, HOLDERS + 1);
	pthread_barrier_init(&window_done, NULL, HOLDERS + 1);
	for (int i = 0; i < HOLDERS; i++)
		pthread_create(&holders[i], NULL, holder, NULL);

	for (int round = 0; round < ROUNDS; round++) {
		bool kill = round % 2 == 0;	/* else a switch, then a kill */

		atomic_store(&releases, 0);
		atomic_store(&puts_done, 0);
		percpu_ref_init(&ref, on_release, PERCPU_REF_ALLOW_REINIT);
		/* Per-CPU: the holders' references and ours. */
		percpu_ref_get_many(&ref, HOLDERS * HELD + EXTRA);

		atomic_store(&hold_switch, true);
		pthread_create(&k, NULL, killer, (void *)(size_t)kill);
		while (sem_wait(&in_window) != 0)
			;
		/* The atomic count is LONG_MIN plus the owner's reference (and
		 * the switch's own, when the kill marked the ref dead first):
		 * our puts take it across the edge, and a tryget there must
		 * count on from LONG_MAX. */
		n = 0;
		while (atomic_count() != LONG_MAX && n < EXTRA) {
			put(1);
			n++;
		}
		edge += atomic_count() == LONG_MAX;
		if (!percpu_ref_tryget(&ref) || !percpu_ref_tryget_many(&ref, 5))
			atomic_fetch_add(&bad_tryget, 1);
		put(6);
		pthread_barrier_wait(&window_open);
		pthread_barrier_wait(&window_done);	/* holders are done */
		put(EXTRA - n);
		sem_post(&resume);
		pthread_join(k, NULL);

		/* Atomic now: the holders' references, plus the owner's unless
		 * it was killed. */
		exact += atomic_count() == HOLDERS * HELD + !kill &&
			 atomic_load(&releases) == 0;
		pthread_barrier_wait(&window_done);
		if (!kill) {
			percpu_ref_switch_to_percpu(&ref);
			percpu_ref_put_many(&ref, HOLDERS * HELD);
			atomic_fetch_add(&puts_done, HOLDERS * HELD);
			/* The kill's put of the initial reference releases. */
			atomic_fetch_add(&puts_done, 1);
			percpu_ref_kill(&ref);
		}
		pthread_barrier_wait(&window_done);
		once += atomic_load(&releases) == 1;
		last += atomic_load(&puts_at_release) == atomic_load(&puts_done);
		percpu_ref_exit(&ref);
	}
	for (int i = 0; i < HOLDERS; i++)
		pthread_join(holders[i], NULL);

	is(edge, ROUNDS, "the window held open %d times: puts took the atomic "
	   "count from the bias to LONG_MAX", ROUNDS);
	is(atomic_load(&bad_tryget), 0, "  trygets across the edge succeeded "
	   "(%d threads, %d operations each); no signed overflow (UBSan)",
	   HOLDERS + 1, OPS * 6);
	is(atomic_load(&live_in_window), 0, "  tryget_live failed on the killed ref");
	is(exact, ROUNDS, "the sum after the window gave the exact count");
	is(once, ROUNDS, "the last put released, once");
	is(last, ROUNDS, "  after every put (no early release, none lost)");
	return done_testing();
}
