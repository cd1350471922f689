/* SPDX-License-Identifier: MIT */
/*
 * percpu.c - percpu_ref's three figures (docs/percpu.md discusses them):
 *
 * 1. memory per ref for N counted CPUs, 2 to 256 (KREF_PERCPU_CPUS);
 * 2. a get+put pair on one thread against a plain thread-local
 *    increment+decrement, ns and estimated cycles per pair;
 * 3. two threads on one object: aggregate pairs per second, percpu_ref
 *    against kref.
 *
 * Times are min / median over BENCH_REPEATS rounds (default 11) that
 * interleave the rows; ratios are the median of each round's ratio to the
 * baseline measured in the same round.  BENCH_SCALE multiplies the work.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <kref.h>
#include "stats.h"
#include "../tests/common/proc_self.h"

static struct percpu_ref pcp;
static union { struct kref k; char pad[64]; } kobj __attribute__((aligned(64)));
static _Thread_local unsigned long tls_counter;
static int releases;

static void kref_release(struct kref *k) { (void)k; releases++; }
static void pcp_release(struct percpu_ref *r) { (void)r; releases++; }

/* The compiler may not merge or drop the increment and the decrement. */
#define COMPILER_BARRIER() __asm__ __volatile__("" ::: "memory")

/* The thread-local counter as __thread code addresses it: %fs-relative. */
static __attribute__((noinline)) void pairs_tls(long n)
{
	for (long i = 0; i < n; i++) {
		COMPILER_BARRIER();
		tls_counter++;
		COMPILER_BARRIER();
		tls_counter--;
	}
}

/* Through a pointer, as code handed the counter's address does; the
 * faster of the two on some CPUs (AMD's memory renaming). */
static __attribute__((noinline)) void pairs_tls_ptr(long n)
{
	unsigned long *c = &tls_counter;

	__asm__("" : "+r"(c));	/* forget that c is %fs-relative */
	for (long i = 0; i < n; i++) {
		COMPILER_BARRIER();
		(*c)++;
		COMPILER_BARRIER();
		(*c)--;
	}
}

static __attribute__((noinline)) void pairs_percpu(long n)
{
	for (long i = 0; i < n; i++) {
		percpu_ref_get(&pcp);
		percpu_ref_put(&pcp);
	}
}

static __attribute__((noinline)) void pairs_kref(long n)
{
	for (long i = 0; i < n; i++) {
		kref_get(&kobj.k);
		kref_put(&kobj.k, kref_release);
	}
}

/* A chain of dependent adds, one a cycle on every x86-64 and arm64 core:
 * ns per cycle, to express the rows in cycles. */
static __attribute__((noinline)) void dependent_adds(long n)
{
	unsigned long x = 0;

	for (long i = 0; i < n; i++) {
		__asm__ __volatile__("" : "+r"(x));
		x++;
		__asm__ __volatile__("" : "+r"(x));
		x++;
		__asm__ __volatile__("" : "+r"(x));
		x++;
		__asm__ __volatile__("" : "+r"(x));
		x++;
	}
	__asm__ __volatile__("" : : "r"(x));
}

struct row {
	const char *name;
	void (*pairs)(long n);
	double ns[MAX_ROUNDS];
};

static double time_ns(void (*fn)(long), long n)
{
	double t = now_ns();

	fn(n);
	return (now_ns() - t) / (double)n;
}

/* 2. One thread. */
static void single(long n, int rounds)
{
	struct row rows[] = {
		{ "thread-local ++/-- via pointer", pairs_tls_ptr, {0} },
		{ "thread-local ++/-- %fs-relative", pairs_tls, {0} },
		{ "percpu_ref_get/percpu_ref_put", pairs_percpu, {0} },
		{ "kref_get/kref_put", pairs_kref, {0} },
	};
	const int nrows = (int)(sizeof(rows) / sizeof(rows[0]));
	double cycle[MAX_ROUNDS];

	for (int i = 0; i < nrows; i++)
		rows[i].pairs(n / 10);	/* warm up */
	for (int r = 0; r < rounds; r++) {
		cycle[r] = time_ns(dependent_adds, n) / 4;
		for (int i = 0; i < nrows; i++)
			rows[i].ns[r] = time_ns(rows[i].pairs, n);
	}
	printf("2. one thread: a get+put pair against a thread-local "
	       "increment+decrement\n   ns per pair, min / median of %d rounds; "
	       "cycles: median ns / ns per dependent add (%.3f ns)\n\n",
	       rounds, median(cycle, rounds));
	printf("   %-34s %17s %8s %10s\n", "", "ns", "cycles", "ratio");
	for (int i = 0; i < nrows; i++) {
		printf("   %-34s %7.2f / %7.2f %8.1f %9.2fx\n", rows[i].name,
		       minimum(rows[i].ns, rounds), median(rows[i].ns, rounds),
		       median(rows[i].ns, rounds) / median(cycle, rounds),
		       paired_ratio(rows[i].ns, rows[0].ns, rounds));
	}
	printf("   ratio: to the first row, whichever thread-local form is "
	       "faster here: %s\n\n",
	       median(rows[0].ns, rounds) <= median(rows[1].ns, rounds) ?
	       "the first" : "the second (compare with it)");
}

/* 3. Two threads on one object. */
struct worker {
	pthread_barrier_t *go;
	void (*pairs)(long n);
	long n;
	double start, end;
};

static void *worker(void *p)
{
	struct worker *w = p;

	pthread_barrier_wait(w->go);
	w->start = now_ns();
	w->pairs(w->n);
	w->end = now_ns();
	return NULL;
}

/* Million pairs a second, both threads together. */
static double aggregate(void (*pairs)(long), long n)
{
	pthread_barrier_t go;
	pthread_t t[2];
	struct worker w[2];
	double first, last;

	pthread_barrier_init(&go, NULL, 2);
	for (int i = 0; i < 2; i++) {
		w[i] = (struct worker){ &go, pairs, n, 0, 0 };
		pthread_create(&t[i], NULL, worker, &w[i]);
	}
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	pthread_barrier_destroy(&go);
	first = w[0].start < w[1].start ? w[0].start : w[1].start;
	last = w[0].end > w[1].end ? w[0].end : w[1].end;
	return 2e3 * (double)n / (last - first);
}

static void dual(long n, int rounds)
{
	double k[MAX_ROUNDS] = {0}, p[MAX_ROUNDS] = {0}, ratio[MAX_ROUNDS] = {0};

	for (int r = 0; r < rounds; r++) {
		k[r] = aggregate(pairs_kref, n);
		p[r] = aggregate(pairs_percpu, n);
		ratio[r] = p[r] / k[r];
	}
	printf("3. two threads, one object: million pairs a second, both "
	       "threads together\n   (max / median of %d rounds)\n\n", rounds);
	printf("   %-34s %8.1f / %8.1f\n", "kref_get/kref_put",
	       maximum(k, rounds), median(k, rounds));
	printf("   %-34s %8.1f / %8.1f %9.2fx kref\n\n",
	       "percpu_ref_get/percpu_ref_put", maximum(p, rounds),
	       median(p, rounds), median(ratio, rounds));
}

/* 1. Memory per ref against N. */

struct footprint {
	double mapped, resident;	/* bytes per ref; mapped < 0: no per-CPU mode */
	int online;			/* CPUs that counted */
};

/* In a child that counts @cpus CPUs: @n refs in per-CPU mode, a get and a
 * put on each from every CPU this machine has, their struct aside. */
static struct footprint bytes_per_ref(int cpus, long n)
{
	struct footprint fp = { -1, -1, 0 };
	int fds[2];
	pid_t pid;

	if (pipe(fds) != 0)
		return fp;
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		char env[16];
		struct percpu_ref *refs = calloc((size_t)n, sizeof(*refs));
		long vm, rss;

		snprintf(env, sizeof(env), "%d", cpus);
		setenv("KREF_PERCPU_CPUS", env, 1);
		if (refs && percpu_ref_percpu_available()) {
			memset(refs, 0xff, (size_t)n * sizeof(*refs));	/* resident now */
			vm = status_bytes("VmData:");
			rss = status_bytes("RssAnon:");
			for (long i = 0; i < n; i++)
				if (percpu_ref_init(&refs[i], pcp_release, 0))
					_exit(1);
			for (int cpu = 0; cpu < cpus && cpu < CPU_SETSIZE; cpu++) {
				cpu_set_t set;

				CPU_ZERO(&set);
				CPU_SET(cpu, &set);
				if (sched_setaffinity(0, sizeof(set), &set) != 0)
					continue;
				fp.online++;
				for (long i = 0; i < n; i++) {
					percpu_ref_get(&refs[i]);
					percpu_ref_put(&refs[i]);
				}
			}
			fp.mapped = (double)(status_bytes("VmData:") - vm) / (double)n;
			fp.resident = (double)(status_bytes("RssAnon:") - rss) / (double)n;
		}
		_exit(write(fds[1], &fp, sizeof(fp)) != sizeof(fp));
	}
	close(fds[1]);
	if (pid < 0 || read(fds[0], &fp, sizeof(fp)) != sizeof(fp))
		fp.mapped = -1;
	close(fds[0]);
	if (pid > 0)
		waitpid(pid, NULL, 0);
	return fp;
}

static void memory(long n)
{
	printf("1. memory per ref in per-CPU mode, N counted CPUs "
	       "(KREF_PERCPU_CPUS=N), over %ld refs,\n   the 16-byte struct "
	       "percpu_ref aside.  mapped: as if all N CPUs counted; resident:\n"
	       "   after a get and a put on every ref from each CPU this machine "
	       "has.\n   before: the old layout's 64 N + 128 bytes of counters "
	       "+ 48 of data\n\n", n);
	printf("   %5s %10s %10s %10s %10s\n", "N", "mapped", "resident",
	       "64 + 16 N", "before");
	for (int cpus = 2; cpus <= 256; cpus *= 2) {
		struct footprint fp = bytes_per_ref(cpus, n);

		if (fp.mapped < 0) {
			printf("   (per-CPU mode is unavailable here)\n");
			break;
		}
		printf("   %5d %10.1f %10.1f %10d %10d\n", cpus, fp.mapped,
		       fp.resident, 64 + 16 * cpus, 64 * cpus + 128 + 48);
		if (cpus == 256)
			printf("   (resident: %d CPUs counted)\n", fp.online);
	}
	printf("\n");
}

int main(void)
{
	long scale = env_long("BENCH_SCALE", 1, 1, 1000);
	int rounds = (int)env_long("BENCH_REPEATS", 11, 1, MAX_ROUNDS);

	printf("percpu_ref at scale: `make bench` (build/bench/percpu, "
	       "BENCH_REPEATS=%d BENCH_SCALE=%ld)\n\n", rounds, scale);
	memory(131072);	/* first: the children must read KREF_PERCPU_CPUS */
	kref_init(&kobj.k);
	if (percpu_ref_init(&pcp, pcp_release, 0) != 0)
		return 1;
	if (!percpu_ref_percpu_available())
		printf("(per-CPU mode is unavailable here: percpu_ref runs in "
		       "atomic mode)\n\n");
	single(20000000 * scale, rounds);
	dual(10000000 * scale, rounds);
	percpu_ref_exit(&pcp);
	return releases != 0;
}
