/* SPDX-License-Identifier: MIT */
/*
 * table_rcu.c - the RCU lookups of the table benchmark (table.c), compiled
 * twice: as is, rcu_read_lock and rcu_read_unlock are calls into
 * liburcu.so, whose thread-local reader state costs a __tls_get_addr call
 * each (rows *_call); with -D_LGPL_SOURCE, what a program under a licence
 * compatible with the LGPL gets, they are inline (rows *_inline).
 *
 * Checked with objdump -d on build/bench/bench (gcc 12 and clang 14,
 * x86-64, PIE, liburcu 0.13): buckets_body_inline and lfht_body_inline
 * call neither urcu_memb_read_lock/_unlock nor __tls_get_addr; the
 * reader's counter is read through %fs at an offset loaded once from the
 * GOT (initial-exec TLS).  Their only calls are cds_lfht_lookup (liburcu
 * has it only out of line) and paths the bench never takes: the futex
 * wake of a waiting grace period, a final put (unlink, call_rcu), the
 * saturation warning (clang's build), and the rcuref branches of
 * rcu_table.h (these tables count with kref).
 * The *_call bodies call urcu_memb_read_lock and _unlock@plt, which call
 * __tls_get_addr inside liburcu.so.8.
 */
#include "rcu_table.h"
#include "table.h"

#ifdef _LGPL_SOURCE
#define ROW(name) name##_inline
#else
#define ROW(name) name##_call
#endif

static void ROW(buckets_body)(const struct bench_table *t, long n)
{
	uint64_t x = (uintptr_t)&x | 1;

	for (long i = 0; i < n; i++) {
		unsigned long key = bench_next_key(&x, t->objects);
		struct mitem *m;

		rcu_read_lock();
		/* Acquire: pairs with the writer's release when linking. */
		for (m = atomic_load_explicit(&t->heads[table_hash(key) & t->mask],
					      memory_order_acquire);
		     m && m->key != key;
		     m = atomic_load_explicit(&m->next, memory_order_acquire))
			;
		if (m && !kref_get_unless_zero(&m->ref))
			m = NULL;
		rcu_read_unlock();
		if (m)
			kref_put_mutex(&m->ref, bench_mitem_release, &bench_mtable_lock);
	}
}

static void ROW(lfht_body)(const struct bench_table *t, long n)
{
	uint64_t x = (uintptr_t)&x | 1;

	for (long i = 0; i < n; i++) {
		struct item *it = table_lookup(t->lfht, bench_next_key(&x, t->objects));

		if (it)
			item_put(it);
	}
}

void ROW(lookups_buckets_100k)(long n)
{
	bench_as_rcu_reader(ROW(buckets_body), &bench_table_100k, n);
}

void ROW(lookups_buckets_1m)(long n)
{
	bench_as_rcu_reader(ROW(buckets_body), &bench_table_1m, n);
}

void ROW(lookups_lfht_100k)(long n)
{
	bench_as_rcu_reader(ROW(lfht_body), &bench_table_100k, n);
}

void ROW(lookups_lfht_1m)(long n)
{
	bench_as_rcu_reader(ROW(lfht_body), &bench_table_1m, n);
}
