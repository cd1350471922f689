/* SPDX-License-Identifier: MIT */
/*
 * table.h - the table lookup benchmark, built with liburcu: table.c (the
 * tables, the mutex lookups) and table_rcu.c, compiled twice, for the RCU
 * lookups with liburcu's out-of-line rcu_read_lock (rows *_call) and with
 * its inline one under _LGPL_SOURCE (rows *_inline).
 */
#ifndef BENCH_TABLE_H
#define BENCH_TABLE_H

#include <pthread.h>
#include <stdint.h>
#include <kref.h>

void table_bench_init(void);
unsigned long table_bench_exit(void);	/* returns unexpected releases */

/* The rows of bench.c: @n lookups+get+put each, in a table of 100,000 or
 * 1,000,000 objects. */
void lookups_mutex_100k(long n);
void lookups_mutex_1m(long n);
void lookups_buckets_100k_call(long n);
void lookups_buckets_100k_inline(long n);
void lookups_buckets_1m_call(long n);
void lookups_buckets_1m_inline(long n);
void lookups_lfht_100k_call(long n);
void lookups_lfht_100k_inline(long n);
void lookups_lfht_1m_call(long n);
void lookups_lfht_1m_inline(long n);

/* ---- shared by table.c and table_rcu.c ------------------------------- */

struct table;

struct mitem {
	unsigned long key;
	struct kref ref;
	_Atomic(struct mitem *) next;
};

/* Writers (here only the set-up) hold it; RCU readers do not.  The last
 * put would take it (kref_put_mutex) to unlink: never, the tables hold
 * their references. */
extern pthread_mutex_t bench_mtable_lock;
void bench_mitem_release(struct kref *ref);

/* One size: chained buckets (mutex and RCU rows) and a cds_lfht. */
struct bench_table {
	unsigned long objects;
	unsigned long mask;			/* buckets - 1, a power of two */
	_Atomic(struct mitem *) *heads;
	struct table *lfht;
};

extern struct bench_table bench_table_100k, bench_table_1m;

/* Runs @body(@t, @n) as an RCU reader: a bench thread registers for it. */
void bench_as_rcu_reader(void (*body)(const struct bench_table *t, long n),
			 const struct bench_table *t, long n);

/* Uniform keys in [0, @objects) without a division, which would cost as
 * much as a cached lookup: xorshift64, then the high half of a product. */
static inline unsigned long bench_next_key(uint64_t *x, unsigned long objects)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return (unsigned long)(((*x >> 32) * (uint64_t)objects) >> 32);
}

#endif /* BENCH_TABLE_H */
