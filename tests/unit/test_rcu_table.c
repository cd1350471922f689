/* SPDX-License-Identifier: MIT */
/*
 * test_rcu_table.c - lock-free lookups under load (examples/rcu_table.h):
 * two threads look up random keys while a third deletes and inserts, so
 * lookups keep meeting objects whose last reference is being dropped.  No
 * lookup may return an object whose release has begun, and every object
 * is freed once the table is gone.  Once with kref_get_unless_zero, once
 * with rcuref_get.
 *
 * Then a big table is torn down: table_destroy() of 1,000,000 objects must
 * release each exactly once in under a second of CPU (half a second here),
 * without the memory growing on the way.  Each big table lives in a child
 * process whose address space is capped (outside the sanitizers, whose
 * shadow memory a cap would stop) and which a watchdog ends, so that a
 * table whose buckets run away (1,000,000 objects once took 4 to 16 GB)
 * fails the test instead of the machine.
 *
 * Build: liburcu-cds liburcu
 */
#include <signal.h>
#include <sys/resource.h>
#include <time.h>
#include "rcu_table.h"
#include "child.h"

#define LIVE		1000	/* keys in the table at any time */
#define REPLACES	30000	/* at least; more until MIN_LOOKUPS were made */
#define MIN_LOOKUPS	20000
#define READERS		2

static struct table *table;
static struct item *live[LIVE];		/* the writer's: table references */
static atomic_ulong base;		/* live keys are base .. base + LIVE */
static atomic_int stop;
static atomic_long lookups, found, bad;
static pthread_barrier_t start;

static void *reader(void *arg)
{
	unsigned int seed = (unsigned int)(size_t)arg;

	rcu_register_thread();
	pthread_barrier_wait(&start);
	while (!atomic_load(&stop)) {
		unsigned long key = atomic_load(&base) + (unsigned long)rand_r(&seed) % LIVE;
		struct item *it = table_lookup(table, key);

		atomic_fetch_add(&lookups, 1);
		if (!it)
			continue;
		if (atomic_load(&it->released) || it->key != key ||
		    it->value != (long)key * 3)
			atomic_fetch_add(&bad, 1);
		atomic_fetch_add(&found, 1);
		item_put(it);
	}
	rcu_unregister_thread();
	return NULL;
}

static void run(bool use_rcuref)
{
	pthread_t t[READERS];
	unsigned long r;
	long frees;

	table = table_new(LIVE, use_rcuref);
	if (!table)
		BAIL_OUT("out of memory");
	atomic_store(&base, 0);
	atomic_store(&stop, 0);
	atomic_store(&lookups, 0);
	atomic_store(&found, 0);
	atomic_store(&bad, 0);
	pthread_barrier_init(&start, NULL, READERS + 1);
	for (unsigned long k = 0; k < LIVE; k++)
		live[k] = table_insert(table, k);
	for (size_t i = 0; i < READERS; i++)
		pthread_create(&t[i], NULL, reader, (void *)(i + 1));
	pthread_barrier_wait(&start);
	for (r = 0; r < REPLACES || atomic_load(&lookups) < MIN_LOOKUPS; r++) {
		unsigned long old = atomic_load(&base);

		item_put(live[old % LIVE]);	/* delete: drop the table's ref */
		live[old % LIVE] = table_insert(table, old + LIVE);
		atomic_store(&base, old + 1);
	}
	atomic_store(&stop, 1);
	for (int i = 0; i < READERS; i++)
		pthread_join(t[i], NULL);
	frees = table_destroy(table);

	ok(atomic_load(&found) > 0, "%s: %ld lookups found a live object",
	   use_rcuref ? "rcuref_get" : "kref_get_unless_zero", atomic_load(&found));
	is(atomic_load(&bad), 0, "  none returned an object being released");
	is(frees, (long)(LIVE + r), "  all %lu objects freed, "
	   "none leaked", LIVE + r);
	pthread_barrier_destroy(&start);
}

#if defined(__SANITIZE_ADDRESS__)
#define SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SANITIZED 1
#endif
#endif
#ifdef KREF_TSAN
#define SANITIZED 1
#endif

/*
 * Where the address space cannot be capped, fewer objects: few enough that
 * a runaway table stays small, as many as it takes for one to break every
 * bound (200,000 objects once grew the buckets by 500 MB and took 13 s of
 * CPU to destroy).  The sanitizers' shadow memory needs terabytes of
 * address space, and qemu-user, under which tests/check-cross.sh runs the
 * tests with KREF_EXEC set, keeps a cap for itself; its CPU time is the
 * emulator's, which is left unbounded.
 */
#define BIG		1000000L
#define SMALL		200000L
#define ADDRESS_SPACE	(1536L << 20)	/* about 6 times what BIG needs */
/*
 * TSan checks every put and writes shadow memory, 4 bytes for each byte,
 * for what is freed: 5 times the CPU an object, and memory.
 */
#ifdef KREF_TSAN
#define DESTROY_CPU_MS	2000
#define SHADOW_PER_OBJECT 512
#else
#define DESTROY_CPU_MS	1000
#define SHADOW_PER_OBJECT 0
#endif
#define DESTROY_GROWTH_KB ((32L << 10) + objects * SHADOW_PER_OBJECT / 1024)
/* Over the table's life: 100 bytes an object here, 160 under ASan. */
#define LIFE_GROWTH_KB	(objects * (512 + 2 * SHADOW_PER_OBJECT) / 1024)
#define WATCHDOG_S	10

static bool capped, emulated, big_rcuref;
static long objects;			/* BIG if capped, else SMALL */

static long maxrss_kb(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

static long elapsed_ms(clockid_t clock, const struct timespec *since)
{
	struct timespec now;

	clock_gettime(clock, &now);
	return (now.tv_sec - since->tv_sec) * 1000L +
	       (now.tv_nsec - since->tv_nsec) / 1000000L;
}

/* In the child: fills a table, destroys it, says what it measured. */
static int big_destroy(void)
{
	struct timespec cpu0, wall0;
	long rss_start, rss_built, frees, cpu_ms, wall_ms;
	struct table *t;

	alarm(WATCHDOG_S);
	if (capped)
		setrlimit(RLIMIT_AS, &(struct rlimit){ ADDRESS_SPACE, ADDRESS_SPACE });
	rcu_register_thread();
	rss_start = maxrss_kb();
	t = table_new((unsigned long)objects, big_rcuref);
	for (long k = 0; k < objects; k++)
		if (!t || !table_insert(t, (unsigned long)k)) {
			fprintf(stderr, "out of memory at %ld objects\n", k);
			exit(3);
		}
	rss_built = maxrss_kb();
	/*
	 * Bounded in CPU time, which other jobs on a busy machine leave alone
	 * (with two of them copying memory the same run's wall time went from
	 * 0.5 s to 3.7 s, its CPU time stayed under 0.7 s), and the process's:
	 * liburcu's threads are part of the work.
	 */
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu0);
	clock_gettime(CLOCK_MONOTONIC, &wall0);
	frees = table_destroy(t);
	cpu_ms = elapsed_ms(CLOCK_PROCESS_CPUTIME_ID, &cpu0);
	wall_ms = elapsed_ms(CLOCK_MONOTONIC, &wall0);
	fprintf(stderr, "frees %ld cpu_ms %ld wall_ms %ld destroy_kb %ld life_kb %ld\n",
		frees, cpu_ms, wall_ms, maxrss_kb() - rss_built,
		maxrss_kb() - rss_start);
	rcu_unregister_thread();
	return 0;
}

/* Runs big_destroy in a child: false, and a failed test, if it did not end. */
static bool big_child(const char *name, long *frees, long *cpu_ms,
		      long *wall_ms, long *destroy_kb, long *life_kb)
{
	int status = run_child(big_destroy, NULL);
	const char *line = strstr(output, "frees ");

	if (WIFEXITED(status) && WEXITSTATUS(status) == 0 && line &&
	    sscanf(line, "frees %ld cpu_ms %ld wall_ms %ld destroy_kb %ld life_kb %ld",
		   frees, cpu_ms, wall_ms, destroy_kb, life_kb) == 5)
		return true;
	ok(0, "%s table of %ld objects: filled and destroyed", name, objects);
	if (WIFSIGNALED(status))
		diag("killed by signal %d%s", WTERMSIG(status),
		     WTERMSIG(status) == SIGALRM ? ", the watchdog's" : "");
	diag("its stderr: %s", output);
	return false;
}

static void run_big(bool use_rcuref)
{
	const char *name = use_rcuref ? "rcuref" : "kref";
	long frees, cpu_ms, wall_ms, destroy_kb, life_kb;

	big_rcuref = use_rcuref;
	if (!big_child(name, &frees, &cpu_ms, &wall_ms, &destroy_kb, &life_kb))
		return;
	/* A machine busy enough gets a second try; a runaway table fails both. */
	if (cpu_ms >= DESTROY_CPU_MS && !emulated) {
		diag("%s: %ld ms of CPU, trying again", name, cpu_ms);
		if (!big_child(name, &frees, &cpu_ms, &wall_ms, &destroy_kb, &life_kb))
			return;
	}
	ok(1, "%s table of %ld objects: filled and destroyed", name, objects);
	is(frees, objects, "  every object released and freed exactly once");
	if (emulated)
		ok(1, "# SKIP the CPU time of an emulator (%ld ms)", cpu_ms);
	else
		ok(cpu_ms < DESTROY_CPU_MS, "  in %ld ms of CPU (%ld ms wall), "
		   "under %d", cpu_ms, wall_ms, DESTROY_CPU_MS);
	ok(destroy_kb < DESTROY_GROWTH_KB, "  peak memory grew %ld KB while "
	   "destroying, under %ld", destroy_kb, DESTROY_GROWTH_KB);
	ok(life_kb < LIFE_GROWTH_KB, "  and %ld KB over the table's life, "
	   "under %ld", life_kb, LIFE_GROWTH_KB);
}

int main(void)
{
	emulated = getenv("KREF_EXEC") && *getenv("KREF_EXEC");
#ifndef SANITIZED
	capped = !emulated;
#endif
	objects = capped ? BIG : SMALL;
	/* First, while no thread of liburcu's exists to be lost by fork. */
	run_big(false);
	run_big(true);
	rcu_register_thread();
	run(false);
	run(true);
	rcu_unregister_thread();
	return done_testing();
}
