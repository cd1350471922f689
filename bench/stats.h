/* SPDX-License-Identifier: MIT */
/*
 * stats.h - what the benchmark programs share: the clock, min / median
 * over rounds, the ratio to a baseline run in the same rounds, and
 * settings from the environment.
 */
#ifndef BENCH_STATS_H
#define BENCH_STATS_H

#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_ROUNDS 64

static inline double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static inline int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static inline double median(const double *v, int n)
{
	double s[MAX_ROUNDS];

	memcpy(s, v, sizeof(double) * (size_t)n);
	qsort(s, (size_t)n, sizeof(double), cmp_double);
	return n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

/* The median over rounds of @v[r] / @base[r]: each round ran both, back to
 * back, so drift in the machine's speed cancels out. */
static inline double paired_ratio(const double *v, const double *base, int n)
{
	double r[MAX_ROUNDS];

	for (int i = 0; i < n; i++)
		r[i] = v[i] / base[i];
	return median(r, n);
}

static inline double minimum(const double *v, int n)
{
	double m = v[0];

	for (int i = 1; i < n; i++)
		m = v[i] < m ? v[i] : m;
	return m;
}

static inline double maximum(const double *v, int n)
{
	double m = v[0];

	for (int i = 1; i < n; i++)
		m = v[i] > m ? v[i] : m;
	return m;
}

static inline long env_long(const char *name, long dflt, long lo, long hi)
{
	const char *s = getenv(name);
	long v = s ? strtol(s, NULL, 10) : dflt;

	return v < lo ? lo : v > hi ? hi : v;
}

#endif /* BENCH_STATS_H */
