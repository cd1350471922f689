/* SPDX-License-Identifier: MIT */
/* debug_pairs.h - the parts of the bench built apart: with KREF_DEBUG
 * (debug_pairs.c), and once per build compared (population.c). */
#ifndef BENCH_DEBUG_PAIRS_H
#define BENCH_DEBUG_PAIRS_H

#include <stdint.h>
#include <kref.h>

void debug_pairs_init(void);
void pairs_kref_debug(long n);
void debug_pairs_exit(void);

/* An object of the population benchmark: a kref in 64 bytes. */
struct bench_obj {
	struct kref ref;
	char payload[60];
};

/* The population benchmark's operations (population.c), one set per build:
 * kref_init on each of @n objects, @pairs get+put pairs on objects picked
 * at random from @seed, and the final put of each. */
#define BENCH_POPULATION_OPS(build)					\
	void build##_init_all(struct bench_obj *objs, long n);		\
	void build##_random_pairs(struct bench_obj *objs, long n,	\
				  long pairs, uint64_t seed);		\
	void build##_put_all(struct bench_obj *objs, long n);
BENCH_POPULATION_OPS(release)
BENCH_POPULATION_OPS(debug)
BENCH_POPULATION_OPS(asan)

/* xorshift64*: the same sequence of objects in both builds. */
static inline long bench_pick(uint64_t *x, long n)
{
	*x ^= *x >> 12;
	*x ^= *x << 25;
	*x ^= *x >> 27;
	return (long)(((*x * 0x2545F4914F6CDD1Dull) >> 32) * (uint64_t)n >> 32);
}

#endif /* BENCH_DEBUG_PAIRS_H */
