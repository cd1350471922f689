/* SPDX-License-Identifier: MIT */
/*
 * bench.c - get+put pairs on one object, libkref against the alternatives,
 * side by side in one run: ns per pair, min and median over repeats, and
 * the ratio of medians to raw C11 atomics measured in the same run.
 *
 * Rounds interleave the implementations, so drift in the machine's speed
 * hits them all alike.  BENCH_SCALE multiplies the work, BENCH_REPEATS
 * sets the number of rounds (default 11).
 *
 * Then debug mode against the number of live tracked objects,
 * BENCH_POPULATIONS of them (default "1000,10000,100000,1000000,10000000"),
 * with a second thread alive; alone if BENCH_ONLY_POPULATIONS is set.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>
#include <kref.h>
#include "debug_pairs.h"
#include "stats.h"
#ifdef HAVE_URCU_CDS
#include "table.h"
#endif
#ifdef HAVE_GLIB
#include <glib.h>
#endif
#ifdef HAVE_URCU
#include <urcu/ref.h>
#endif

/* Each counter on its own cache line. */
#define CACHELINE 64
static union { struct kref k; char pad[CACHELINE]; } kref_obj __attribute__((aligned(CACHELINE)));
static union { atomic_int a; char pad[CACHELINE]; } raw_obj __attribute__((aligned(CACHELINE)));
static union { rcuref_t r; char pad[CACHELINE]; } rcuref_obj __attribute__((aligned(CACHELINE)));
static struct percpu_ref percpu_obj __attribute__((aligned(CACHELINE)));
static struct {
	pthread_mutex_t lock;
	int count;
} mutex_obj __attribute__((aligned(CACHELINE))) = { PTHREAD_MUTEX_INITIALIZER, 1 };
#ifdef HAVE_GLIB
static union { gatomicrefcount g; char pad[CACHELINE]; } glib_obj __attribute__((aligned(CACHELINE)));
#endif
#ifdef HAVE_URCU
static union { struct urcu_ref u; char pad[CACHELINE]; } urcu_obj __attribute__((aligned(CACHELINE)));
#endif

static int releases;	/* never reached: the owner's reference stays */

static void kref_release(struct kref *k) { (void)k; releases++; }

static __attribute__((noinline)) void pairs_kref(long n)
{
	for (long i = 0; i < n; i++) {
		kref_get(&kref_obj.k);
		kref_put(&kref_obj.k, kref_release);
	}
}

static __attribute__((noinline)) void pairs_raw(long n)
{
	for (long i = 0; i < n; i++) {
		/* The textbook pattern: relaxed increment, release decrement,
		 * acquire fence before freeing. */
		atomic_fetch_add_explicit(&raw_obj.a, 1, memory_order_relaxed);
		if (atomic_fetch_sub_explicit(&raw_obj.a, 1, memory_order_release) == 1) {
			atomic_thread_fence(memory_order_acquire);
			releases++;
		}
	}
}

static __attribute__((noinline)) void pairs_mutex(long n)
{
	for (long i = 0; i < n; i++) {
		pthread_mutex_lock(&mutex_obj.lock);
		mutex_obj.count++;
		pthread_mutex_unlock(&mutex_obj.lock);
		pthread_mutex_lock(&mutex_obj.lock);
		if (--mutex_obj.count == 0)
			releases++;
		pthread_mutex_unlock(&mutex_obj.lock);
	}
}

#ifdef HAVE_GLIB
static __attribute__((noinline)) void pairs_glib(long n)
{
	for (long i = 0; i < n; i++) {
		g_atomic_ref_count_inc(&glib_obj.g);
		if (g_atomic_ref_count_dec(&glib_obj.g))
			releases++;
	}
}
#endif

#ifdef HAVE_URCU
static void urcu_release(struct urcu_ref *u) { (void)u; releases++; }

static __attribute__((noinline)) void pairs_urcu(long n)
{
	for (long i = 0; i < n; i++) {
		urcu_ref_get(&urcu_obj.u);
		urcu_ref_put(&urcu_obj.u, urcu_release);
	}
}
#endif

/* Lookup-style gets: kref_get_unless_zero against a hand-written loop. */
static __attribute__((noinline)) void pairs_kref_unless_zero(long n)
{
	for (long i = 0; i < n; i++) {
		if (kref_get_unless_zero(&kref_obj.k))
			kref_put(&kref_obj.k, kref_release);
	}
}

static __attribute__((noinline)) void pairs_percpu(long n)
{
	for (long i = 0; i < n; i++) {
		percpu_ref_get(&percpu_obj);
		percpu_ref_put(&percpu_obj);
	}
}

static void percpu_release(struct percpu_ref *ref) { (void)ref; releases++; }

/* Gets alone, as issue 4 compares them: the puts come after the clock. */
static __attribute__((noinline)) void gets_kref_unless_zero(long n)
{
	for (long i = 0; i < n; i++)
		if (!kref_get_unless_zero(&kref_obj.k))
			releases++;
}

static void puts_kref(long n)
{
	for (long i = 0; i < n; i++)
		kref_put(&kref_obj.k, kref_release);
}

static __attribute__((noinline)) void gets_rcuref(long n)
{
	for (long i = 0; i < n; i++)
		if (!rcuref_get(&rcuref_obj.r))
			releases++;
}

static void puts_rcuref(long n)
{
	for (long i = 0; i < n; i++)
		if (rcuref_put(&rcuref_obj.r))
			releases++;
}

/* What an RCU lookup does: get unless dead (one add), then put. */
static __attribute__((noinline)) void pairs_rcuref(long n)
{
	for (long i = 0; i < n; i++) {
		if (rcuref_get(&rcuref_obj.r) && rcuref_put(&rcuref_obj.r))
			releases++;
	}
}

static __attribute__((noinline)) void pairs_raw_cas(long n)
{
	for (long i = 0; i < n; i++) {
		int old = atomic_load_explicit(&raw_obj.a, memory_order_relaxed);

		do {
			if (!old)
				break;
		} while (!atomic_compare_exchange_weak_explicit(&raw_obj.a, &old,
				old + 1, memory_order_relaxed, memory_order_relaxed));
		if (old && atomic_fetch_sub_explicit(&raw_obj.a, 1,
						     memory_order_release) == 1) {
			atomic_thread_fence(memory_order_acquire);
			releases++;
		}
	}
}

struct impl {
	const char *name;
	void (*pairs)(long n);
	double single[64], dual[64];	/* ns per pair, one per round */
	double overlap[64];		/* of the 2 threads, each round */
	void (*untimed)(long n);	/* after the clock stops, if set */
	bool baseline;			/* starts a group: ratios are to it */
	int shrink;			/* n / shrink a round, if set: slow rows */
	bool nochart;			/* left out of make chart */
};

static struct impl impls[] = {
	{ .name = "raw C11 atomics", .pairs = pairs_raw, .baseline = true },
	{ .name = "libkref kref_get/kref_put", .pairs = pairs_kref },
#ifdef HAVE_GLIB
	{ .name = "GLib g_atomic_ref_count", .pairs = pairs_glib },
#endif
#ifdef HAVE_URCU
	{ .name = "liburcu urcu_ref", .pairs = pairs_urcu },
#endif
	{ .name = "pthread mutex counter", .pairs = pairs_mutex },
	{ .name = "raw CAS loop (get unless 0)", .pairs = pairs_raw_cas, .baseline = true },
	{ .name = "libkref kref_get_unless_zero", .pairs = pairs_kref_unless_zero },
	{ .name = "libkref kref_get_unless_zero", .pairs = pairs_kref_unless_zero, .baseline = true },
	{ .name = "libkref rcuref_get/rcuref_put", .pairs = pairs_rcuref },
	{ .name = "gets only: kref_get_unless_zero", .pairs = gets_kref_unless_zero, .untimed = puts_kref, .baseline = true },
	{ .name = "gets only: rcuref_get", .pairs = gets_rcuref, .untimed = puts_rcuref },
	{ .name = "libkref kref_get/kref_put", .pairs = pairs_kref, .baseline = true },
	{ .name = "  the same with KREF_DEBUG", .pairs = pairs_kref_debug },
	{ .name = "libkref kref_get/kref_put", .pairs = pairs_kref, .baseline = true },
	{ .name = "libkref percpu_ref get/put", .pairs = pairs_percpu },
#ifdef HAVE_URCU_CDS
	/* table.h: the RCU rows with liburcu's rcu_read_lock as a call, and
	 * inline as _LGPL_SOURCE makes it */
#define TABLE_ROWS(size, label, chart) \
	{ .name = "mutex table, " label " objects", .pairs = lookups_mutex_##size, \
	  .baseline = true, .shrink = 5, .nochart = !(chart) }, \
	{ .name = "  RCU buckets, out-of-line rcu_read_lock", .shrink = 5, \
	  .pairs = lookups_buckets_##size##_call, .nochart = true }, \
	{ .name = "  RCU buckets, _LGPL_SOURCE inline", .shrink = 5, \
	  .pairs = lookups_buckets_##size##_inline, .nochart = !(chart) }, \
	{ .name = "  cds_lfht, out-of-line rcu_read_lock", .shrink = 5, \
	  .pairs = lookups_lfht_##size##_call, .nochart = true }, \
	{ .name = "  cds_lfht, _LGPL_SOURCE inline", .shrink = 5, \
	  .pairs = lookups_lfht_##size##_inline, .nochart = !(chart) }
	TABLE_ROWS(100k, "100,000", true),
	TABLE_ROWS(1m, "1,000,000", false),
#endif
};
#define NIMPLS (sizeof(impls) / sizeof(impls[0]))

struct worker {
	pthread_barrier_t *go;
	const struct impl *m;
	long n;
	double start, end;
};

static void *worker(void *p)
{
	struct worker *w = p;

	pthread_barrier_wait(w->go);
	w->start = now_ns();
	w->m->pairs(w->n);
	w->end = now_ns();
	if (w->m->untimed)
		w->m->untimed(w->n);
	return NULL;
}

/*
 * Wall time of @threads threads doing @n pairs each, started together:
 * from the first start to the last end, as the workers saw them.  Two
 * threads are pinned to CPUs 0 and 1, and *@overlap is the share of that
 * time in which both ran: a round where one finished before the other
 * started measured no contention.
 */
static double run(const struct impl *m, long n, int threads, double *overlap)
{
	pthread_barrier_t go;
	pthread_t t[2];
	struct worker w[2];
	double first = 0, last = 0, both_start = 0, both_end = 0;

	*overlap = 1;
	if (threads == 1) {
		double start = now_ns(), end;

		m->pairs(n);
		end = now_ns();
		if (m->untimed)
			m->untimed(n);
		return end - start;
	}
	pthread_barrier_init(&go, NULL, threads);
	for (int i = 0; i < threads; i++) {
		pthread_attr_t attr;
		cpu_set_t cpu;

		CPU_ZERO(&cpu);
		CPU_SET(i, &cpu);
		pthread_attr_init(&attr);
		pthread_attr_setaffinity_np(&attr, sizeof(cpu), &cpu);
		w[i] = (struct worker){ &go, m, n, 0, 0 };
		if (pthread_create(&t[i], &attr, worker, &w[i]) != 0)
			pthread_create(&t[i], NULL, worker, &w[i]);	/* one CPU */
		pthread_attr_destroy(&attr);
	}
	for (int i = 0; i < threads; i++) {
		pthread_join(t[i], NULL);
		first = i == 0 || w[i].start < first ? w[i].start : first;
		last = w[i].end > last ? w[i].end : last;
		both_start = i == 0 || w[i].start > both_start ? w[i].start : both_start;
		both_end = i == 0 || w[i].end < both_end ? w[i].end : both_end;
	}
	pthread_barrier_destroy(&go);
	*overlap = both_end > both_start ? (both_end - both_start) / (last - first) : 0;
	return last - first;
}

/* Rounds where the two threads overlapped less than this are run again
 * (up to CONTENDED_TRIES times), as they measured little contention. */
#define CONTENDED	0.9
#define CONTENDED_TRIES	8

static double run_contended(const struct impl *m, long n, double *overlap)
{
	double best = 0, t = 0;

	for (int i = 0; i < CONTENDED_TRIES && best < CONTENDED; i++) {
		double o, ti = run(m, n, 2, &o);

		if (o > best || i == 0) {
			best = o;
			t = ti;
		}
	}
	*overlap = best;
	return t;
}

/*
 * For `make chart`: aggregate throughput (million pairs a second, from the
 * medians) at 1 and 2 threads, one gnuplot block per implementation, each
 * measured once (rows repeated as baselines are skipped), debug mode left
 * out.
 */
static void write_chart_data(const char *path, int rounds)
{
	FILE *f = path ? fopen(path, "w") : NULL;

	if (!f)
		return;
	for (size_t i = 0; i < NIMPLS; i++) {
		bool seen = impls[i].pairs == pairs_kref_debug || impls[i].nochart;

		for (size_t j = 0; j < i; j++)
			seen |= impls[j].pairs == impls[i].pairs;
		if (seen)
			continue;
		fprintf(f, "\"%s\"\n1 %.1f\n2 %.1f\n\n\n",
			impls[i].name + strspn(impls[i].name, " "),
			1e3 / median(impls[i].single, rounds),
			2e3 / median(impls[i].dual, rounds));
	}
	fclose(f);
}

/* ---- debug mode against the number of live tracked objects ----------- */

/* Bytes of memory resident: malloc'd or mmap'd, as debug mode's side
 * table is. */
static double resident(void)
{
	long pages = 0;
	FILE *f = fopen("/proc/self/statm", "r");

	if (f && fscanf(f, "%*s %ld", &pages) != 1)
		pages = 0;
	if (f)
		fclose(f);
	return (double)pages * (double)sysconf(_SC_PAGESIZE);
}

/* Debug mode's memory per object once @n objects are tracked: measured in
 * a child, where no other thread (liburcu's) allocates meanwhile, and where
 * the objects are resident already. */
static double debug_bytes_per_object(struct bench_obj *objs, long n)
{
	double bytes = 0;
	int fds[2];
	pid_t pid;

	if (pipe(fds) != 0)
		return 0;
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		double before = resident();

		debug_init_all(objs, n);
		bytes = (resident() - before) / (double)n;
		_exit(write(fds[1], &bytes, sizeof(bytes)) != sizeof(bytes));
	}
	close(fds[1]);
	if (pid < 0 || read(fds[0], &bytes, sizeof(bytes)) != sizeof(bytes))
		bytes = 0;
	close(fds[0]);
	if (pid > 0)
		waitpid(pid, NULL, 0);
	return bytes;
}

static void print_pop_row(const char *pop, const char *op, const double *rel,
			  const double *dbg, int rounds)
{
	printf("%-14s %-9s %8.2f / %8.2f   %8.2f / %8.2f %8.2fx",
	       pop, op, minimum(rel, rounds), median(rel, rounds),
	       minimum(dbg, rounds), median(dbg, rounds),
	       paired_ratio(dbg, rel, rounds));
}

/*
 * The builds measured against the release build on the same objects, in
 * the same rounds.  A build's row is population.c's three loops compiled
 * with its flags: debug mode (-DKREF_DEBUG, call chains captured) and, in
 * build/bench/bench-asan, a process under AddressSanitizer's runtime,
 * AddressSanitizer alone (-fsanitize=address, no KREF_DEBUG).
 */
static const struct pop_build {
	const char *name;
	void (*init_all)(struct bench_obj *objs, long n);
	void (*random_pairs)(struct bench_obj *objs, long n, long pairs,
			     uint64_t seed);
	void (*put_all)(struct bench_obj *objs, long n);
} pop_builds[] = {
	{ "KREF_DEBUG", debug_init_all, debug_random_pairs, debug_put_all },
#ifdef BENCH_ASAN
	{ "ASan alone", asan_init_all, asan_random_pairs, asan_put_all },
#endif
};
#define NPOP_BUILDS (sizeof(pop_builds) / sizeof(pop_builds[0]))

/* A second thread, parked for the whole population table: glibc's malloc
 * and stdio, and anything else that checks, behave as in a threaded
 * program. */
static pthread_mutex_t park_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t park_cond = PTHREAD_COND_INITIALIZER;
static bool park_done;

static void *parked(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&park_lock);
	while (!park_done)
		pthread_cond_wait(&park_cond, &park_lock);
	pthread_mutex_unlock(&park_lock);
	return NULL;
}

/*
 * kref_init on each of n objects, then get+put pairs on objects picked at
 * random, in each build of pop_builds and in the release build, on the
 * same objects: a build's cost per operation must not grow with n.  Small
 * populations are initialised many times a round, for a measurable time.
 */
static void populations(long scale, int max_rounds)
{
	const char *list = getenv("BENCH_POPULATIONS");
	long pairs = 2000000 * scale;
	pthread_t second;
	bool threaded = pthread_create(&second, NULL, parked, NULL) == 0;

	printf("\ndebug mode against live tracked objects: ns per operation, min / "
	       "median of the rounds\n(init: kref_init on every object; get+put: "
	       "a pair on an object picked at random;\n64-byte objects; bytes: "
	       "debug mode's memory\nper live tracked object, resident; %s)\n\n",
	       threaded ? "a second thread parked" : "no second thread");
#ifdef BENCH_ASAN
	printf("in a process under AddressSanitizer's runtime: its malloc, and "
	       "ASan alone instrumenting the loop\n\n");
#endif
	printf("%-14s %-9s %19s   %19s %9s %7s\n", "live objects", "", "release build",
	       pop_builds[0].name, "ratio", "bytes");
	for (const char *p = list ? list : "1000,10000,100000,1000000,10000000"; *p;) {
		char *end, label[32];
		long n = strtol(p, &end, 10);
		int rounds = n >= 5000000 ? 3 : n >= 500000 ? 5 : 11;
		long cycles = n < 1000000 ? 1000000 / n : 1;
		double rel_init[64], rel_pairs[64];
		double dbg_init[NPOP_BUILDS][64], dbg_pairs[NPOP_BUILDS][64];
		double bytes;
		struct bench_obj *objs;

		p = *end ? end + 1 : end;
		if (n <= 0 || !(objs = aligned_alloc(64, (size_t)n * sizeof(*objs))))
			continue;
		memset(objs, 0, (size_t)n * sizeof(*objs));
		bytes = debug_bytes_per_object(objs, n);
		rounds = rounds < max_rounds ? rounds : max_rounds;
		for (int r = 0; r < rounds; r++) {
			double t;

			for (size_t b = 0; b < NPOP_BUILDS; b++) {
				const struct pop_build *pb = &pop_builds[b];

				dbg_init[b][r] = 0;
				for (long c = 0; c < cycles; c++) {
					if (c)
						pb->put_all(objs, n);
					t = now_ns();
					pb->init_all(objs, n);
					dbg_init[b][r] += now_ns() - t;
				}
				t = now_ns();
				pb->random_pairs(objs, n, pairs, 2 * (uint64_t)r + 1);
				dbg_pairs[b][r] = (now_ns() - t) / (double)pairs;
				pb->put_all(objs, n);
				dbg_init[b][r] /= (double)(n * cycles);
			}
			rel_init[r] = 0;
			for (long c = 0; c < cycles; c++) {
				t = now_ns();
				release_init_all(objs, n);
				rel_init[r] += now_ns() - t;
				if (c + 1 < cycles)
					release_put_all(objs, n);
			}
			t = now_ns();
			release_random_pairs(objs, n, pairs, 2 * (uint64_t)r + 2);
			rel_pairs[r] = (now_ns() - t) / (double)pairs;
			release_put_all(objs, n);
			rel_init[r] /= (double)(n * cycles);
		}
		for (size_t b = 0; b < NPOP_BUILDS; b++) {
			/* The first build's rows under the population, the
			 * others' under their names. */
			if (b)
				snprintf(label, sizeof(label), "%s", pop_builds[b].name);
			else
				snprintf(label, sizeof(label), "%ld", n);
			print_pop_row(label, "init", rel_init, dbg_init[b], rounds);
			printf(" %7.0f\n", bytes);
			snprintf(label, sizeof(label), "(%d rounds)", rounds);
			print_pop_row(b ? "" : label, "get+put", rel_pairs,
				      dbg_pairs[b], rounds);
			printf("\n");
		}
		fflush(stdout);
		free(objs);
	}
	if (threaded) {
		pthread_mutex_lock(&park_lock);
		park_done = true;
		pthread_cond_signal(&park_cond);
		pthread_mutex_unlock(&park_lock);
		pthread_join(second, NULL);
	}
}

int main(void)
{
	long scale = env_long("BENCH_SCALE", 1, 1, 1000);
	int rounds = (int)env_long("BENCH_REPEATS", 11, 1, 64);
	long n1 = 5000000 * scale, n2 = 4000000 * scale;

	kref_init(&kref_obj.k);
	rcuref_init(&rcuref_obj.r, 1);
#ifdef HAVE_URCU_CDS
	table_bench_init();
#endif
	if (percpu_ref_init(&percpu_obj, percpu_release, 0) != 0)
		return 1;
	debug_pairs_init();
	if (getenv("BENCH_ONLY_POPULATIONS")) {
		populations(scale, rounds);
		debug_pairs_exit();
		return 0;
	}
	atomic_init(&raw_obj.a, 1);
#ifdef HAVE_GLIB
	g_atomic_ref_count_init(&glib_obj.g);
#endif
#ifdef HAVE_URCU
	urcu_ref_init(&urcu_obj.u);
#endif
	for (size_t i = 0; i < NIMPLS; i++)	/* warm up */
		run(&impls[i], n1 / 10 / (impls[i].shrink ? impls[i].shrink : 1), 1,
		    &impls[i].overlap[0]);
	for (int r = 0; r < rounds; r++) {
		for (size_t i = 0; i < NIMPLS; i++) {
			long k = impls[i].shrink ? impls[i].shrink : 1;

			impls[i].single[r] = run(&impls[i], n1 / k, 1,
						 &impls[i].overlap[r]) / (double)(n1 / k);
			impls[i].dual[r] = run_contended(&impls[i], n2 / k,
							 &impls[i].overlap[r]) /
					   (double)(n2 / k);
		}
	}

	printf("get+put pairs on one object: ns per pair, min / median of %d "
	       "rounds\n(2 threads: wall time per pair each thread did, both "
	       "on the same counter)\n\n", rounds);
	printf("%-40s %17s %8s   %17s %8s %8s\n", "", "1 thread", "ratio",
	       "2 threads", "ratio", "overlap");
	for (const struct impl *base = impls, *m = impls; m < impls + NIMPLS; m++) {
		if (m->baseline && m != impls)
			printf("\n");
		if (m->baseline)
			base = m;
		printf("%-40s %7.2f / %7.2f %7.3fx   %7.2f / %7.2f %7.3fx %7.0f%%\n",
		       m->name, minimum(m->single, rounds), median(m->single, rounds),
		       paired_ratio(m->single, base->single, rounds),
		       minimum(m->dual, rounds), median(m->dual, rounds),
		       paired_ratio(m->dual, base->dual, rounds),
		       100 * minimum(m->overlap, rounds));
	}
	printf("\nratio: to the first row of its group, the median over rounds of "
	       "the two times in the same round\n2 threads: pinned to CPUs 0 and "
	       "1; overlap: the least share of a round's time in which both ran "
	       "(a round under %.0f%% is run again, up to %d times)\n",
	       100 * CONTENDED, CONTENDED_TRIES);
#ifdef HAVE_URCU_CDS
	printf("tables: ns per lookup+get+put of a random key, 2 threads on one "
	       "table;\n`make bench` (build/bench/bench, BENCH_REPEATS=%d "
	       "BENCH_SCALE=%ld)\n", rounds, scale);
#endif
	write_chart_data(getenv("BENCH_DATA"), rounds);
	if (!percpu_ref_percpu_available())
		printf("(per-CPU mode is unavailable here: percpu_ref ran in atomic mode)\n");
	populations(scale, rounds);
	debug_pairs_exit();
	percpu_ref_exit(&percpu_obj);
#ifdef HAVE_URCU_CDS
	releases += (int)table_bench_exit();
#endif
	return releases != 0;
}
