/* SPDX-License-Identifier: MIT */
/*
 * test_lock_wakeup.c - libkref's internal lock (src/percpu_lock.c: debug
 * mode's stripes, percpu_ref's switch lock) loses no wake-up when its
 * holder lets go just as another thread comes to wait.
 *
 * The holder's unlock clears the owner word and then reads the count of
 * waiters; a waiter counts itself in and then tries the owner word.  If
 * the unlock's read could pass its own clearing, both could miss: the
 * unlock sees no waiter and wakes nobody, the waiter sees the lock held
 * and sleeps, and nobody wakes it until the lock is next taken and given
 * back.  C11 forbids that with a seq_cst store and load, and AArch64 with
 * STLR then LDAR; but QEMU's TCG on an x86 host (7.2 at least) turns that
 * pair into a plain store and load, which the host's store buffer
 * reorders.  The unlock now clears the owner with an exchange.
 *
 * Each round, the main thread holds the lock, lets the other thread go for
 * it and lets go, each after a varying delay, so that the two meet at
 * varying distances; then waits for the other to get the lock, and the
 * other, having given it back, for the next round, which begins with the
 * main thread taking it.  A wake-up lost leaves one asleep on the lock's
 * futex word while the lock is free: the other wakes that word itself
 * while it waits, and the kernel says whether anyone was asleep there.
 * Nobody should be: a waiter asleep before the unlock is woken by it, and
 * one that comes to sleep after finds the word changed (or finds the lock
 * free, and takes it).  So any count is a lost wake-up, and the test ends
 * either way; how often the two meet in the window
 * depends on the machine: never natively (x86's seq_cst store is fenced,
 * AArch64 keeps STLR then LDAR in order); under qemu-aarch64 on an x86
 * host, without the exchange, 27 to 467 of 20,000 rounds (4 runs).
 */
#define _GNU_SOURCE
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "tap.h"
#include "../../src/internal.h"

#define ROUNDS		20000
#define MAX_DELAY	32	/* each side's delay, in loop turns */
#define SPINS		4096	/* spins between yields, while waiting */

static struct kref_lock lock;
static atomic_long go, got, lost;

/* A few loop turns, 0 to MAX_DELAY - 1, from @seed. */
static void delay(unsigned int *seed)
{
	*seed = *seed * 1103515245u + 12345u;
	for (volatile unsigned int i = 0; i < (*seed >> 16) % MAX_DELAY; i++)
		;
}

/*
 * Waits for the other thread to set @flag to @r, having let go of the
 * lock, which the other takes on its way.  It usually comes at once; every
 * so often, look for it asleep on the lock's futex word (and wake it).
 */
static void wait_for(atomic_long *flag, long r)
{
	/* Acquire: pairs with the other thread's release of @flag. */
	for (unsigned int spins = 1;
	     atomic_load_explicit(flag, memory_order_acquire) != r; spins++) {
		if (spins % SPINS != 0)
			continue;
		if (syscall(SYS_futex, &lock.wake, FUTEX_WAKE_PRIVATE, 1,
			    NULL, NULL, 0) > 0)
			/* Relaxed: a count, read after the join. */
			atomic_fetch_add_explicit(&lost, 1, memory_order_relaxed);
		else
			sched_yield();
	}
}

/* Takes the lock once a round, once the main thread holds it. */
static void *taker(void *arg)
{
	long rounds = (long)(size_t)arg;
	unsigned int seed = 2;

	for (long r = 1; r <= rounds; r++) {
		/* The main thread may wait for the lock we gave back. */
		wait_for(&go, r);
		delay(&seed);
		kref_lock(&lock);
		/* Release: the main thread sees we held it. */
		atomic_store_explicit(&got, r, memory_order_release);
		kref_unlock(&lock);
	}
	return NULL;
}

int main(void)
{
	const char *scale = getenv("KREF_STRESS_SCALE");
	long rounds = ROUNDS * (scale ? strtol(scale, NULL, 10) : 1);
	long contended = 0;
	unsigned int seed = 1;
	pthread_t t;

	if (rounds < 1)
		rounds = ROUNDS;
	pthread_create(&t, NULL, taker, (void *)(size_t)rounds);
	for (long r = 1; r <= rounds; r++) {
		kref_lock(&lock);
		/* Release: the taker starts this round after our lock. */
		atomic_store_explicit(&go, r, memory_order_release);
		delay(&seed);
		/* Relaxed: a count for the diagnostic, nothing else. */
		contended += atomic_load_explicit(&lock.waiters,
						  memory_order_relaxed) != 0;
		kref_unlock(&lock);
		wait_for(&got, r);
	}
	pthread_join(t, NULL);

	is(atomic_load(&lost), 0,
	   "%ld hand-offs each way: no waiter left asleep on a free lock",
	   rounds);
	diag("%ld rounds let go with the other thread counted as a waiter",
	     contended);
	return done_testing();
}
