/* SPDX-License-Identifier: MIT */
/*
 * percpu.c - percpu_ref's three figures (docs/percpu.md discusses them):
 *
 * 1. memory per ref for N counted CPUs, 2 to 256 (KREF_PERCPU_CPUS);
 * 2. a get+put pair on one thread against a plain thread-local
 *    increment+decrement, ns and estimated cycles per pair;
 * 3. two threads on one object: aggregate pairs per second, percpu_ref
 *    against kref;
 * 4. a pair on each of 504 refs in an array, slots placed at any page
 *    offset (before issue 19) against placed clear of the fast path's
 *    loads (4K aliasing);
 * 5. on x86-64, copies of the fast path's sequence with one instruction
 *    or two taken out, against the thread-local pair: where its cycles
 *    go.
 *
 * BENCH_PARTS picks parts (say 45; default all).
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
#include "../src/internal.h"	/* kref_percpu_alias_blind_ */

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

/*
 * Each round times every row once, interleaved so that a slow moment of
 * the machine hits all rows alike, and the cycle (a quarter of four
 * dependent adds) beside them.
 */
static void time_rows(struct row *rows, int nrows, double *cycle, long n,
		      int rounds)
{
	for (int i = 0; i < nrows; i++)
		rows[i].pairs(n / 10);	/* warm up */
	for (int r = 0; r < rounds; r++) {
		cycle[r] = time_ns(dependent_adds, n) / 4;
		for (int i = 0; i < nrows; i++)
			rows[i].ns[r] = time_ns(rows[i].pairs, n);
	}
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

	time_rows(rows, nrows, cycle, n, rounds);
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

/* 4. A pair's cost against where the ref and its slot are. */
#define SCAN 504			/* a chunk's slots: every page offset */
static struct percpu_ref *scan_ref;

static __attribute__((noinline)) void pairs_scan(long n)
{
	struct percpu_ref *r = scan_ref;	/* in a register, not reloaded */

	for (long i = 0; i < n; i++) {
		percpu_ref_get(r);
		percpu_ref_put(r);
	}
}

static unsigned long page_word(const void *p)
{
	return ((uintptr_t)p & 4095) / 8;
}

/* What @r's slot shares its page's 8-byte word with, or NULL. */
static const char *aliased_with(struct percpu_ref *r)
{
	/* Relaxed: this thread initialised the ref, and nothing switches it. */
	unsigned long w = page_word((void *)(atomic_load_explicit(
		&r->percpu_count_ptr, memory_order_relaxed) &
		~__PERCPU_REF_ATOMIC_DEAD));

	if (w == page_word(&r->percpu_count_ptr))
		return "the mode word";
	if (w == page_word(&percpu_ref_nr_cpus_))
		return "percpu_ref_nr_cpus_";
#ifdef KREF_PERCPU_RSEQ
	if (w == page_word(&kref_rseq_area_()->cpu_id))
		return "rseq cpu_id";
	if (w == page_word(&kref_rseq_area_()->rseq_cs))
		return "rseq_cs";
#endif
	return NULL;
}

static void scan(long n, int rounds)
{
	static struct percpu_ref refs[2][SCAN] __attribute__((aligned(4096)));
	static double ns[2][SCAN][MAX_ROUNDS];
	const char *name[2] = { "slots at any offset (before)",
				"slots placed (issue 19)" };
	double cycle[MAX_ROUNDS] = {0}, c;

	/* Initialised in order, as an array of objects would be; the same
	 * page offsets in both arrays. */
	for (int v = 0; v < 2; v++) {
		kref_percpu_alias_blind_ = v == 0;
		for (int i = 0; i < SCAN; i++)
			if (percpu_ref_init(&refs[v][i], pcp_release, 0) != 0)
				exit(1);
	}
	kref_percpu_alias_blind_ = false;
	for (int r = 0; r < rounds; r++) {
		cycle[r] = time_ns(dependent_adds, n) / 4;
		for (int i = 0; i < SCAN; i++)
			for (int v = 0; v < 2; v++) {
				scan_ref = &refs[v][i];
				ns[v][i][r] = time_ns(pairs_scan, n);
			}
	}
	c = minimum(cycle, rounds);
	printf("4. a get+put pair on each of %d refs in an array, initialised "
	       "in order, one slot\n   each (every page offset); cycles per "
	       "pair: each ref's min of %d rounds / the\n   min ns per "
	       "dependent add (%.3f ns); across the refs: min, median, max\n\n",
	       SCAN, rounds, c);
	printf("   %-30s %6s %7s %6s\n", "", "min", "median", "max");
	for (int v = 0; v < 2; v++) {
		double m[SCAN], sorted[SCAN], med;
		int slow = 0, aliased = 0;

		for (int i = 0; i < SCAN; i++)
			m[i] = minimum(ns[v][i], rounds) / c;
		memcpy(sorted, m, sizeof(m));
		qsort(sorted, SCAN, sizeof(double), cmp_double);
		med = sorted[SCAN / 2];
		for (int i = 0; i < SCAN; i++)
			slow += m[i] > 1.3 * med;
		printf("   %-30s %6.2f %7.2f %6.2f   %d over 1.3x the median\n"
		       "     the refs whose slot aliases:", name[v], sorted[0],
		       med, sorted[SCAN - 1], slow);
		for (int i = 0; i < SCAN; i++) {
			const char *what = aliased_with(&refs[v][i]);

			if (what)
				printf("%s %s %.2f", aliased++ ? "," : "", what, m[i]);
		}
		printf(aliased ? "\n" : " none\n");
	}
	printf("\n");
	for (int v = 0; v < 2; v++)
		for (int i = 0; i < SCAN; i++)
			percpu_ref_exit(&refs[v][i]);
}

#if defined(__x86_64__) && defined(KREF_PERCPU_RSEQ)
/*
 * 5. Where the fast path's cycles go: copies of kref/arch/x86_64.h's
 * sequence, whole and with an instruction or two taken out (only the
 * whole one is a correct fast path), each a get+put pair on pcp.
 */
#define ARM	"leaq 3b(%%rip), %%rax\n\t" "movq %%rax, %c[cs](%[rs])\n\t"
#define MODE	"movq (%[pcp]), %%rcx\n\t" "testq %[flags], %%rcx\n\t" \
		"jnz %l[atomic_mode]\n\t"
#define MODE_UNTESTED "movq (%[pcp]), %%rcx\n\t"
#define CPU	"movl %c[cpu](%[rs]), %%eax\n\t"
#define CPU_0	"xorl %%eax, %%eax\n\t"
#define NR	"cmpl %[nr], %%eax\n\t" "jae %l[atomic_mode]\n\t"
#define NR_IMM	"cmpl $4096, %%eax\n\t" "jae %l[atomic_mode]\n\t"
#define ADD	"shlq %[shift], %%rax\n\t" "addq %[delta], (%%rcx, %%rax)\n\t"
#define STORE	"shlq %[shift], %%rax\n\t" "movq %[delta], (%%rcx, %%rax)\n\t"
#define VARIANT(name, body)						\
static inline __attribute__((always_inline)) bool				\
name##_add(kref_atomic_ulong *word, unsigned long delta)			\
{									\
	struct rseq *rs = kref_rseq_area_();				\
restart:								\
	__asm__ goto(".pushsection __rseq_cs, \"aw\"\n\t"		\
		".balign 32\n\t" "3:\n\t" ".long 0, 0\n\t"		\
		".quad 1f, 2f - 1f, 4f\n\t" ".popsection\n\t"		\
		body "2:\n\t"						\
		".pushsection __rseq_failure, \"ax\"\n\t"		\
		".byte 0x0f, 0xb9, 0x3d\n\t" ".long %c[sig]\n\t"	\
		"4:\n\t" "jmp %l[restart]\n\t" ".popsection\n\t"	\
		:							\
		: [rs] "r" (rs), [pcp] "r" (word), [delta] "er" (delta), \
		  [flags] "i" (__PERCPU_REF_ATOMIC_DEAD),		\
		  [nr] "m" (percpu_ref_nr_cpus_),			\
		  [shift] "i" (KREF_PERCPU_UNIT_SHIFT_),		\
		  [cs] "i" (offsetof(struct rseq, rseq_cs)),		\
		  [cpu] "i" (offsetof(struct rseq, cpu_id)),		\
		  [sig] "i" (RSEQ_SIG)					\
		: "rax", "rcx", "memory", "cc"				\
		: atomic_mode, restart);				\
	return true;							\
atomic_mode:								\
	return false;							\
}									\
static __attribute__((noinline)) void name(long n)			\
{									\
	for (long i = 0; i < n; i++)					\
		if (!name##_add(&pcp.percpu_count_ptr, 1) ||		\
		    !name##_add(&pcp.percpu_count_ptr, -1UL))		\
			abort();					\
}
VARIANT(copy, ARM "1:\n\t" MODE CPU NR ADD)
VARIANT(no_arm, "1:\n\t" MODE CPU NR ADD)
VARIANT(no_test, ARM "1:\n\t" MODE_UNTESTED CPU NR ADD)
VARIANT(no_cpu, ARM "1:\n\t" MODE CPU_0 NR ADD)
VARIANT(nr_imm, ARM "1:\n\t" MODE CPU NR_IMM ADD)
VARIANT(no_nr, ARM "1:\n\t" MODE CPU ADD)
VARIANT(no_arm_nr, "1:\n\t" MODE CPU ADD)
VARIANT(store, ARM "1:\n\t" MODE CPU NR STORE)

/* The pair's memory operations alone: 8 loads and 4 stores, none
 * depending on another (different lines of one page). */
static unsigned long mem_page[512] __attribute__((aligned(4096)));
#define LD(o)	"movq " #o "(%[p]), %%rax\n\t"
#define ST(o)	"movq %%rcx, " #o "(%[p])\n\t"
static __attribute__((noinline)) void loads_stores(long n)
{
	unsigned long *p = mem_page;

	for (long i = 0; i < n; i++)
		__asm__ __volatile__(LD(0) LD(64) LD(128) LD(192) LD(256)
				     LD(320) LD(384) LD(448) ST(2048) ST(2112)
				     ST(2176) ST(2240)
				     : : [p] "r" (p) : "rax", "memory");
}

static void instructions(long n, int rounds)
{
	struct row rows[] = {
		{ "thread-local ++/-- via pointer", pairs_tls_ptr, {0} },
		{ "percpu_ref_get/percpu_ref_put", pairs_percpu, {0} },
		{ "a copy of its sequence", copy, {0} },
		{ "  without the arming lea+mov", no_arm, {0} },
		{ "  without the mode's test+jnz", no_test, {0} },
		{ "  cpu_id not loaded (CPU 0)", no_cpu, {0} },
		{ "  nr_cpus an immediate, not loaded", nr_imm, {0} },
		{ "  without the nr_cpus cmp+jae", no_nr, {0} },
		{ "  without the arming and nr_cpus", no_arm_nr, {0} },
		{ "  the commit a mov, not an add", store, {0} },
		{ "8 loads + 4 stores, independent", loads_stores, {0} },
	};
	const int nrows = (int)(sizeof(rows) / sizeof(rows[0]));
	double cycle[MAX_ROUNDS] = {0}, c;

	time_rows(rows, nrows, cycle, n, rounds);
	c = minimum(cycle, rounds);
	printf("5. where the pair's cycles go (x86-64): copies of the fast "
	       "path with instructions\n   taken out, each a pair; ns min / "
	       "median of %d rounds; cycles: min ns / min ns\n   per dependent "
	       "add (%.3f ns); ratio: min / min, and the median of each "
	       "round's\n\n", rounds, c);
	printf("   %-36s %17s %7s %15s\n", "", "ns", "cycles", "ratio");
	for (int i = 0; i < nrows; i++)
		printf("   %-36s %7.2f / %7.2f %7.2f %6.2fx %6.2fx\n",
		       rows[i].name, minimum(rows[i].ns, rounds),
		       median(rows[i].ns, rounds),
		       minimum(rows[i].ns, rounds) / c,
		       minimum(rows[i].ns, rounds) / minimum(rows[0].ns, rounds),
		       paired_ratio(rows[i].ns, rows[0].ns, rounds));
	printf("\n");
}
#endif

int main(void)
{
	long scale = env_long("BENCH_SCALE", 1, 1, 1000);
	int rounds = (int)env_long("BENCH_REPEATS", 11, 1, MAX_ROUNDS);

	printf("percpu_ref at scale: `make bench` (build/bench/percpu, "
	       "BENCH_REPEATS=%d BENCH_SCALE=%ld)\n\n", rounds, scale);
	const char *parts = getenv("BENCH_PARTS");

#define PART(c) (!parts || strchr(parts, (c)))
	if (PART('1'))	/* first: the children must read KREF_PERCPU_CPUS */
		memory(131072);
	kref_init(&kobj.k);
	if (percpu_ref_init(&pcp, pcp_release, 0) != 0)
		return 1;
	if (!percpu_ref_percpu_available())
		printf("(per-CPU mode is unavailable here: percpu_ref runs in "
		       "atomic mode)\n\n");
	if (PART('2'))
		single(20000000 * scale, rounds);
	if (PART('3'))
		dual(10000000 * scale, rounds);
	if (PART('4'))
		scan(200000 * scale, rounds);
#if defined(__x86_64__) && defined(KREF_PERCPU_RSEQ)
	if (PART('5'))
		instructions(1000000 * scale, rounds);
#endif
	percpu_ref_exit(&pcp);
	return releases != 0;
}
