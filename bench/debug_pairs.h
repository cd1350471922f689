/* SPDX-License-Identifier: MIT */
/* debug_pairs.h - the KREF_DEBUG half of the bench (debug_pairs.c). */
#ifndef BENCH_DEBUG_PAIRS_H
#define BENCH_DEBUG_PAIRS_H

void debug_pairs_init(void);
void pairs_kref_debug(long n);
void debug_pairs_exit(void);

#endif /* BENCH_DEBUG_PAIRS_H */
