/* SPDX-License-Identifier: MIT */
/*
 * table.c - lookup + get + put over tables of 100,000 and 1,000,000
 * objects with uniformly random keys, three ways:
 *  - chained buckets behind one pthread mutex: lookup and get under the
 *    lock, put with kref_put_mutex (Rule 3 with a lock);
 *  - the same buckets read under rcu_read_lock with kref_get_unless_zero
 *    (Rule 3 with RCU): only the synchronisation differs;
 *  - liburcu's cds_lfht (examples/rcu_table.h), for reference.
 * The RCU lookups are in table_rcu.c.  The tables hold their references,
 * so nothing is released.
 */
#include <stdlib.h>
#include "rcu_table.h"
#include "table.h"

pthread_mutex_t bench_mtable_lock = PTHREAD_MUTEX_INITIALIZER;
struct bench_table bench_table_100k = { .objects = 100000 };
struct bench_table bench_table_1m = { .objects = 1000000 };
static unsigned long lost;	/* releases: none expected, the tables hold refs */
static _Thread_local bool registered;	/* with RCU, by table_bench_init */

void bench_mitem_release(struct kref *ref)
{
	lost++;
	pthread_mutex_unlock(&bench_mtable_lock);
	(void)ref;
}

static void fill(struct bench_table *t)
{
	unsigned long buckets = 1;

	while (buckets < t->objects)
		buckets <<= 1;
	t->mask = buckets - 1;
	t->heads = calloc(buckets, sizeof(*t->heads));
	t->lfht = table_new(buckets, false);
	if (!t->heads || !t->lfht)
		abort();
	for (unsigned long k = 0; k < t->objects; k++) {
		struct mitem *m = malloc(sizeof(*m));
		unsigned long b = table_hash(k) & t->mask;

		if (!m || !table_insert(t->lfht, k))
			abort();
		m->key = k;
		kref_init(&m->ref);
		pthread_mutex_lock(&bench_mtable_lock);
		atomic_store_explicit(&m->next, atomic_load_explicit(&t->heads[b],
				      memory_order_relaxed), memory_order_relaxed);
		/* Release: an RCU reader that finds m sees it initialised. */
		atomic_store_explicit(&t->heads[b], m, memory_order_release);
		pthread_mutex_unlock(&bench_mtable_lock);
	}
}

void table_bench_init(void)
{
	rcu_register_thread();
	registered = true;
	fill(&bench_table_100k);
	fill(&bench_table_1m);
}

static void lookups_mutex(const struct bench_table *t, long n)
{
	uint64_t x = (uintptr_t)&x | 1;

	for (long i = 0; i < n; i++) {
		unsigned long key = bench_next_key(&x, t->objects);
		struct mitem *m;

		pthread_mutex_lock(&bench_mtable_lock);
		for (m = atomic_load_explicit(&t->heads[table_hash(key) & t->mask],
					      memory_order_relaxed);
		     m && m->key != key;
		     m = atomic_load_explicit(&m->next, memory_order_relaxed))
			;
		if (m)
			kref_get(&m->ref);
		pthread_mutex_unlock(&bench_mtable_lock);
		if (m)
			kref_put_mutex(&m->ref, bench_mitem_release, &bench_mtable_lock);
	}
}

void lookups_mutex_100k(long n)
{
	lookups_mutex(&bench_table_100k, n);
}

void lookups_mutex_1m(long n)
{
	lookups_mutex(&bench_table_1m, n);
}

void bench_as_rcu_reader(void (*body)(const struct bench_table *t, long n),
			 const struct bench_table *t, long n)
{
	bool visiting = !registered;

	if (visiting)
		rcu_register_thread();
	body(t, n);
	if (visiting)
		rcu_unregister_thread();
}

static void empty(struct bench_table *t)
{
	for (unsigned long b = 0; b <= t->mask; b++)
		for (struct mitem *m = t->heads[b], *next; m; m = next) {
			next = m->next;
			free(m);
		}
	free(t->heads);
	table_destroy(t->lfht);
}

unsigned long table_bench_exit(void)
{
	empty(&bench_table_100k);
	empty(&bench_table_1m);
	rcu_unregister_thread();
	return lost;
}
