/* SPDX-License-Identifier: MIT */
/*
 * population.c - the population benchmark's three loops, compiled once for
 * each build it compares (the Makefile's bench rules): POP_BUILD names the
 * build, and its flags (-DKREF_DEBUG, -fsanitize=address, none) make it.
 */
#include <kref.h>
#include "debug_pairs.h"

#define POP_NAME_(build, op)	build##_##op
#define POP_NAME(build, op)	POP_NAME_(build, op)

static void pop_release(struct kref *k)
{
	(void)k;
}

void POP_NAME(POP_BUILD, init_all)(struct bench_obj *objs, long n)
{
	for (long i = 0; i < n; i++)
		kref_init(&objs[i].ref);
}

void POP_NAME(POP_BUILD, random_pairs)(struct bench_obj *objs, long n,
				       long pairs, uint64_t seed)
{
	for (long i = 0; i < pairs; i++) {
		struct kref *k = &objs[bench_pick(&seed, n)].ref;

		kref_get(k);
		kref_put(k, pop_release);
	}
}

void POP_NAME(POP_BUILD, put_all)(struct bench_obj *objs, long n)
{
	for (long i = 0; i < n; i++)
		kref_put(&objs[i].ref, pop_release);
}
