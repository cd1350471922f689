/* SPDX-License-Identifier: MIT */
/*
 * test_kernel_style.c - examples/kernel_style.c, kernel code built
 * unchanged on the compat headers, under load: threads look entries up
 * under the mutex and under RCU while the owner adds entries and drops the
 * list's references.  Every entry is released once, lookups only ever get
 * live entries, and everything is freed after the grace period.
 *
 * Build: examples/kernel_style.c liburcu-bp
 */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include "kernel_style.h"
#include "tap.h"

#define ENTRIES	5000
#define WINDOW	16

static atomic_int stop, added, bad, mutex_hits, rcu_hits;

static void *mutex_reader(void *arg)
{
	(void)arg;
	while (!atomic_load(&stop)) {
		struct my_data *e = get_first_entry();

		if (!e)
			continue;
		if (entry_value(e) < 0 || entry_value(e) >= atomic_load(&added))
			atomic_fetch_add(&bad, 1);
		atomic_fetch_add(&mutex_hits, 1);
		put_entry(e);
	}
	return NULL;
}

static void *rcu_reader(void *arg)
{
	unsigned int seed = 7;

	(void)arg;
	while (!atomic_load(&stop)) {
		int n = atomic_load(&added), want = n ? rand_r(&seed) % n : 0;
		struct my_data *e = get_entry_rcu(want);

		if (!e)
			continue;
		if (entry_value(e) != want)
			atomic_fetch_add(&bad, 1);
		atomic_fetch_add(&rcu_hits, 1);
		put_entry(e);
	}
	return NULL;
}

int main(void)
{
	static struct my_data *entries[ENTRIES];
	pthread_t t[3];

	pthread_create(&t[0], NULL, mutex_reader, NULL);
	pthread_create(&t[1], NULL, rcu_reader, NULL);
	pthread_create(&t[2], NULL, rcu_reader, NULL);
	for (int i = 0; i < ENTRIES; i++) {
		atomic_store(&added, i + 1);	/* before readers can find it */
		entries[i] = add_entry(i);
		if (!entries[i])
			BAIL_OUT("out of memory");
		if (i >= WINDOW)	/* the list lets go of older entries */
			put_entry(entries[i - WINDOW]);
	}
	/* Keep the last entries until both kinds of lookup have found some. */
	while (atomic_load(&mutex_hits) < 100 || atomic_load(&rcu_hits) < 100)
		sched_yield();
	for (int i = ENTRIES - WINDOW; i < ENTRIES; i++)
		put_entry(entries[i]);
	atomic_store(&stop, 1);
	for (int i = 0; i < 3; i++)
		pthread_join(t[i], NULL);
	wait_for_frees();

	ok(atomic_load(&mutex_hits) > 0 && atomic_load(&rcu_hits) > 0,
	   "kernel-style lookups under the mutex (%d) and under RCU (%d)",
	   atomic_load(&mutex_hits), atomic_load(&rcu_hits));
	is(atomic_load(&bad), 0, "every lookup got the live entry it asked for");
	is(entries_released(), ENTRIES, "every entry released once by "
	   "kref_put_mutex, freed by kfree_rcu");
	return done_testing();
}
