/* SPDX-License-Identifier: MIT */
/*
 * test_percpu_migrate.c - many more threads than CPUs, moved between CPUs
 * while they get and put.
 *
 * Sixteen threads on this machine's CPUs (two here) get and put a
 * percpu_ref while a mover thread keeps pinning each of them to one CPU,
 * then another, then all (sched_setaffinity): each move makes the kernel
 * restart the sequence in flight, and a preempted thread's sequence must
 * never add to the counter of a CPU that another thread now runs on.  The
 * main thread switches modes throughout.  After each phase every thread
 * holds a number of references it chose at random; the main thread sums
 * them and checks the atomic count against that sum, exactly.  At the end
 * the kill must release, once, after the last put.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <kref.h>
#include "percpu_mode.h"
#include "tap.h"

#define THREADS		16
#define PHASES		40
#define OPS		10000	/* per thread per phase */
#define MAX_HELD	8

static struct percpu_ref ref;
static pthread_barrier_t phase_end, phase_checked;
static atomic_int tids[THREADS], finished, releases, stop_moving;
static atomic_long puts_done, puts_at_release, moves;
static long held[THREADS];	/* read by main between the barriers */

static void on_release(struct percpu_ref *r)
{
	(void)r;
	atomic_store(&puts_at_release, atomic_load(&puts_done));
	atomic_fetch_add(&releases, 1);
}

static void put_many(unsigned long n)
{
	atomic_fetch_add(&puts_done, (long)n);
	percpu_ref_put_many(&ref, n);
}

static unsigned int next_random(unsigned int *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

static void *worker(void *arg)
{
	int self = (int)(size_t)arg;
	unsigned int seed = 2463534242u + (unsigned int)self * 7919u;
	long h = 0;		/* references we hold besides our own */

	atomic_store(&tids[self], (int)syscall(SYS_gettid));
	for (int phase = 0; phase < PHASES; phase++) {
		long target = next_random(&seed) % (MAX_HELD + 1);

		for (int i = 0; i < OPS; i++) {
			unsigned int r = next_random(&seed);
			unsigned long k = 1 + r % 4;

			switch (r >> 28 & 3) {
			case 0:
				percpu_ref_get_many(&ref, k);
				h += (long)k;
				break;
			case 1:
				if (percpu_ref_tryget(&ref))
					h++;
				break;
			default:
				if (h >= (long)k) {
					put_many(k);
					h -= (long)k;
				}
			}
			if (h > 4 * MAX_HELD) {
				put_many((unsigned long)h);
				h = 0;
			}
		}
		if (h > target)
			put_many((unsigned long)(h - target));
		else if (h < target)
			percpu_ref_get_many(&ref, (unsigned long)(target - h));
		h = target;
		held[self] = h;
		atomic_fetch_add(&finished, 1);
		pthread_barrier_wait(&phase_end);
		pthread_barrier_wait(&phase_checked);
	}
	put_many((unsigned long)h + 1);		/* and our own */
	return NULL;
}

/* Pins each worker to one CPU, then the next, then lets it run anywhere. */
static void *mover(void *arg)
{
	cpu_set_t *cpus = arg;
	int ncpu = CPU_COUNT(cpus), cpu_ids[CPU_SETSIZE], n = 0;

	for (int c = 0; c < CPU_SETSIZE && n < ncpu; c++)
		if (CPU_ISSET(c, cpus))
			cpu_ids[n++] = c;
	for (unsigned int round = 0; !atomic_load(&stop_moving); round++) {
		for (int i = 0; i < THREADS; i++) {
			int tid = atomic_load(&tids[i]);
			cpu_set_t to;

			if (!tid)
				continue;
			if ((round + (unsigned int)i) % 3 == 2) {
				to = *cpus;
			} else {
				CPU_ZERO(&to);
				CPU_SET(cpu_ids[(round + (unsigned int)i) % (unsigned int)n], &to);
			}
			if (sched_setaffinity(tid, sizeof(to), &to) == 0)
				atomic_fetch_add_explicit(&moves, 1, memory_order_relaxed);
		}
		sched_yield();
	}
	return NULL;
}

int main(void)
{
	pthread_t t[THREADS], m;
	cpu_set_t cpus;
	int exact = 0, switches = 0;

	if (sched_getaffinity(0, sizeof(cpus), &cpus) != 0) {
		CPU_ZERO(&cpus);
		CPU_SET(0, &cpus);
	}
	diag("%d threads on %d CPUs, per-CPU mode %savailable", THREADS,
	     CPU_COUNT(&cpus), percpu_mode() ? "" : "NOT ");
	pthread_barrier_init(&phase_end, NULL, THREADS + 1);
	pthread_barrier_init(&phase_checked, NULL, THREADS + 1);
	percpu_ref_init(&ref, on_release, PERCPU_REF_ALLOW_REINIT);
	for (int i = 0; i < THREADS; i++) {
		percpu_ref_get(&ref);	/* the worker's own, before the handoff */
		pthread_create(&t[i], NULL, worker, (void *)(size_t)i);
	}
	pthread_create(&m, NULL, mover, &cpus);

	for (int phase = 0; phase < PHASES; phase++) {
		long sum = 0;

		while (atomic_load(&finished) < THREADS) {
			percpu_ref_switch_to_atomic_sync(&ref);
			percpu_ref_switch_to_percpu(&ref);
			switches += 2;
		}
		pthread_barrier_wait(&phase_end);
		atomic_store(&finished, 0);
		for (int i = 0; i < THREADS; i++)
			sum += held[i] + 1;
		percpu_ref_switch_to_atomic_sync(&ref);
		exact += atomic_load(&ref.data->count) == (unsigned long)(sum + 1);
		percpu_ref_switch_to_percpu(&ref);
		pthread_barrier_wait(&phase_checked);
	}
	for (int i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	atomic_store(&stop_moving, 1);
	pthread_join(m, NULL);

	diag("%ld moves, %d mode switches", atomic_load(&moves), switches);
	if (CPU_COUNT(&cpus) > 1)
		ok(atomic_load(&moves) >= THREADS * 2, "threads were moved between CPUs");
	else
		ok(1, "# SKIP one CPU only: no thread can move");
	is(exact, PHASES, "after each of %d phases the count was the exact sum "
	   "of the references held", PHASES);
	is(atomic_load(&releases), 0, "nothing released before the kill");
	atomic_fetch_add(&puts_done, 1);
	percpu_ref_kill(&ref);
	is(atomic_load(&releases), 1, "the kill released, once");
	is(atomic_load(&puts_at_release), atomic_load(&puts_done),
	   "  after the last of %ld puts", atomic_load(&puts_done));
	percpu_ref_exit(&ref);
	return done_testing();
}
