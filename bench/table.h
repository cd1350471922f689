/* SPDX-License-Identifier: MIT */
/* table.h - the table lookup benchmark (table.c), built with liburcu. */
#ifndef BENCH_TABLE_H
#define BENCH_TABLE_H

void table_bench_init(void);
void lookups_mutex(long n);
void lookups_rcu_buckets(long n);
void lookups_rcu(long n);
unsigned long table_bench_exit(void);	/* returns unexpected releases */

#endif /* BENCH_TABLE_H */
