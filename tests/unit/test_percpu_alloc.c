/* SPDX-License-Identifier: MIT */
/*
 * test_percpu_alloc.c - the dense per-CPU counters (src/percpu_alloc.c):
 * a million refs, exact counts when slots are packed and reused, memory
 * given back, bytes per ref against 64 + 16 N, more CPUs than counters
 * (KREF_PERCPU_CPUS), more threads than CPUs allocating at once,
 * fork() while another thread holds the allocator's lock, and malloc's
 * heap back to its size once every ref is exited (no chunk header left
 * high in it), freed slots taken before a chunk is mapped, and no slot at a page offset that the fast path's loads
 * would alias (4K aliasing).
 */
#define _GNU_SOURCE
#include <malloc.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include <kref.h>
#include "proc_self.h"
#include "tap.h"
#include "../../src/internal.h"

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__) || defined(KREF_VALGRIND)
#define INSTRUMENTED 1
#endif

static atomic_int *released;	/* per ref: how many times released */
static struct percpu_ref *refs;

static void on_release(struct percpu_ref *r)
{
	atomic_fetch_add(&released[r - refs], 1);
}

static unsigned long counters(struct percpu_ref *r)
{
	return atomic_load(&r->percpu_count_ptr) & ~__PERCPU_REF_ATOMIC_DEAD;
}

static size_t chunks_now(void)
{
	size_t chunks, used;

	kref_percpu_alloc_stats_(&chunks, &used);
	return chunks;
}

static size_t used_now(void)
{
	size_t chunks, used;

	kref_percpu_alloc_stats_(&chunks, &used);
	return used;
}

static bool setup(size_t n)
{
	refs = calloc(n, sizeof(*refs));
	released = calloc(n, sizeof(*released));
	return refs && released;
}

static void teardown(void)
{
	free(refs);
	free((void *)released);
}

/* A million refs: distinct slots, and every chunk is given back. */
static void test_million(void)
{
	const size_t n = 1000000;
	size_t before = chunks_now(), distinct = 1;
	bool all = true;

	if (!setup(n))
		BAIL_OUT("out of memory");
	for (size_t i = 0; i < n; i++)
		all &= percpu_ref_init(&refs[i], on_release,
				       PERCPU_REF_INIT_ATOMIC) == 0;
	ok(all, "a million percpu_ref_init");
	for (size_t i = 1; i < n; i++)
		distinct += counters(&refs[i]) != counters(&refs[i - 1]);
	is(distinct, n, "each has its own counters");
	is(used_now(), n, "a slot each");
	/* 512 slots a unit, less the 8 of unit 0's last line: the header;
	 * of those 504, the few at percpu_ref_nr_cpus_'s and this thread's
	 * rseq words' page offsets are left (test_no_alias). */
	ok(chunks_now() - before >= n / 504 + (n % 504 != 0) &&
	   chunks_now() - before <= n / 500 + (n % 500 != 0),
	   "500 to 504 refs to a chunk (%zu chunks)", chunks_now() - before);
	for (size_t i = 0; i < n; i++)
		percpu_ref_exit(&refs[i]);
	is(used_now(), 0, "exit gives every slot back");
	ok(chunks_now() <= 1, "and unmaps all but one chunk (%zu left)",
	   chunks_now());
	teardown();
}

/*
 * Five chunks' worth of refs, every other one exited, then as many new
 * refs: they take the freed slots, in the chunks already mapped, and no
 * chunk is mapped for them.
 */
static void test_freed_slots_first(void)
{
	const size_t n = 5 * 504;
	struct percpu_ref *second;
	size_t mapped;
	bool all = true;

	if (!setup(n) || !(second = calloc(n / 2, sizeof(*second))))
		BAIL_OUT("out of memory");
	for (size_t i = 0; i < n; i++)
		all &= percpu_ref_init(&refs[i], on_release,
				       PERCPU_REF_INIT_ATOMIC) == 0;
	for (size_t i = 0; i < n; i += 2)
		percpu_ref_exit(&refs[i]);
	mapped = chunks_now();
	for (size_t i = 0; i < n / 2; i++)
		all &= percpu_ref_init(&second[i], on_release,
				       PERCPU_REF_INIT_ATOMIC) == 0;
	ok(all && chunks_now() == mapped, "%zu refs made after %zu of %zu "
	   "were exited take their slots: %zu chunks mapped, %zu before",
	   n / 2, n / 2, n, chunks_now(), mapped);
	for (size_t i = 1; i < n; i += 2)
		percpu_ref_exit(&refs[i]);
	for (size_t i = 0; i < n / 2; i++)
		percpu_ref_exit(&second[i]);
	is(used_now(), 0, "and every slot comes back");
	free(second);
	teardown();
}

/*
 * Refs with neighbouring and reused slots, gets on every CPU: after the
 * kill each count is exactly its own, so each is released once, by its
 * own last put.  Half the refs are killed (their slots freed and taken by
 * the next round's refs) while the other half still count per CPU.
 */
static void test_exact_counts(void)
{
	const size_t n = 4096;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	bool early = false, once = true;

	if (!setup(n))
		BAIL_OUT("out of memory");
	for (int round = 0; round < 2; round++) {
		for (size_t i = (size_t)round; i < n; i += 2)
			if (percpu_ref_init(&refs[i], on_release, 0) != 0)
				BAIL_OUT("percpu_ref_init failed");
		for (long cpu = 0; cpu < cpus; cpu++) {
			cpu_set_t set;

			CPU_ZERO(&set);
			CPU_SET((int)cpu, &set);
			sched_setaffinity(0, sizeof(set), &set);
			for (size_t i = (size_t)round; i < n; i += 2)
				percpu_ref_get_many(&refs[i], i % 7 + 1);
		}
		for (size_t i = (size_t)round; i < n; i += 2)
			percpu_ref_kill(&refs[i]);
		for (size_t i = (size_t)round; i < n; i += 2) {
			unsigned long held = (unsigned long)cpus * (i % 7 + 1);

			percpu_ref_put_many(&refs[i], held - 1);
			early |= atomic_load(&released[i]) != 0;
			percpu_ref_put(&refs[i]);
			once &= atomic_load(&released[i]) == 1;
		}
	}
	ok(!early, "no ref released before its last put");
	ok(once, "every ref released once, at its last put");
	for (size_t i = 0; i < n; i++)
		percpu_ref_exit(&refs[i]);
	is(used_now(), 0, "every slot back");
	teardown();
	{
		cpu_set_t all;

		CPU_ZERO(&all);
		for (long cpu = 0; cpu < cpus; cpu++)
			CPU_SET((int)cpu, &all);
		sched_setaffinity(0, sizeof(all), &all);
	}
}

/* A ref exited in per-CPU mode, with counts on its counters: the next
 * ref takes its slot and starts from 0. */
static void test_reuse_after_exit(void)
{
	struct percpu_ref a;
	unsigned long slot;

	if (!setup(1))
		BAIL_OUT("out of memory");
	percpu_ref_init(&a, on_release, 0);
	slot = counters(&a);
	percpu_ref_get_many(&a, 1000);
	percpu_ref_exit(&a);
	percpu_ref_init(&refs[0], on_release, 0);
	is(counters(&refs[0]), slot, "the next ref takes the freed slot");
	percpu_ref_get_many(&refs[0], 3);
	percpu_ref_kill(&refs[0]);
	percpu_ref_put_many(&refs[0], 2);
	is(atomic_load(&released[0]), 0, "its count is its own: not released early");
	percpu_ref_put(&refs[0]);
	is(atomic_load(&released[0]), 1, "released by its own last put");
	percpu_ref_exit(&refs[0]);
	teardown();
}

/* In a child, so that KREF_PERCPU_CPUS is read afresh; exit status: 0 ok,
 * 1 failed, 2 per-CPU mode unavailable. */
static int child_with_cpus(const char *cpus, int (*fn)(void))
{
	pid_t pid;
	int status;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		alarm(60);
		setenv("KREF_PERCPU_CPUS", cpus, 1);
		_exit(percpu_ref_percpu_available() ? fn() : 2);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return 1;
	return WEXITSTATUS(status);
}

/*
 * Mapped bytes per ref, as if every one of the N CPUs counted, must stay
 * within 64 + 16 N; resident bytes, after a get and a put on each CPU
 * this machine has, within 64 + 16 per such CPU: a CPU that never counted
 * costs no memory.
 */
static __attribute__((unused)) int bytes_per_ref(void)
{
	const size_t n = 65536;
	unsigned int cpus = percpu_ref_nr_cpus_, online = 0;
	long vm, rss;
	double mapped, resident;

	if (!setup(n))
		return 1;
	memset(refs, 0xff, n * sizeof(*refs));	/* resident now: the structs aside */
	vm = status_bytes("VmData:");
	rss = status_bytes("RssAnon:");
	for (size_t i = 0; i < n; i++)
		if (percpu_ref_init(&refs[i], on_release, 0) != 0)
			return 1;
	for (int cpu = 0; cpu < (int)cpus && cpu < CPU_SETSIZE; cpu++) {
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET(cpu, &set);
		if (sched_setaffinity(0, sizeof(set), &set) != 0)
			continue;
		online++;
		for (size_t i = 0; i < n; i++) {
			percpu_ref_get(&refs[i]);
			percpu_ref_put(&refs[i]);
		}
	}
	mapped = (double)(status_bytes("VmData:") - vm) / (double)n;
	resident = (double)(status_bytes("RssAnon:") - rss) / (double)n;
	printf("# N = %u: %.1f bytes per ref mapped (limit %u), %.1f resident "
	       "after counting on %u CPUs (limit %u)\n", cpus, mapped,
	       64 + 16 * cpus, resident, online, 64 + 16 * online);
	fflush(stdout);
	return mapped > 64 + 16 * cpus || resident > 64 + 16 * online;
}

/* KREF_PERCPU_CPUS=1: a thread on CPU 1 has no counter, and uses the
 * atomic count; the total stays exact. */
static int one_counter(void)
{
	cpu_set_t set;
	int ok_ = 1;

	if (!setup(1) || percpu_ref_nr_cpus_ != 1)
		return 1;
	percpu_ref_init(&refs[0], on_release, 0);
	for (int cpu = 0; cpu < 2; cpu++) {
		CPU_ZERO(&set);
		CPU_SET(cpu, &set);
		if (sched_setaffinity(0, sizeof(set), &set) == 0)
			percpu_ref_get_many(&refs[0], 10);
	}
	percpu_ref_kill(&refs[0]);
	ok_ &= !percpu_ref_is_zero(&refs[0]);
	for (int i = 0; i < 20 && !atomic_load(&released[0]); i++)
		percpu_ref_put(&refs[0]);
	ok_ &= atomic_load(&released[0]) == 1;
	return !ok_;
}

#define NO_PERCPU "# SKIP per-CPU mode off (KREF_PERCPU=0, or no rseq)"

static void in_child(const char *cpus, int (*fn)(void), const char *what)
{
	int r = child_with_cpus(cpus, fn);

	if (r == 2)
		ok(1, NO_PERCPU ": %s", what);
	else
		ok(r == 0, "KREF_PERCPU_CPUS=%s: %s", cpus, what);
}

static void test_cpus_override(void)
{
#ifdef INSTRUMENTED
	ok(1, "# SKIP bytes per ref: the sanitizer's or Valgrind's allocator "
	   "changes the process's memory");
#else
	in_child("2", bytes_per_ref, "at most 64 + 16 N bytes per ref, resident only for CPUs that count");
	in_child("64", bytes_per_ref, "at most 64 + 16 N bytes per ref, resident only for CPUs that count");
#endif
	in_child("1", one_counter, "a CPU past the counters counts in the "
		 "atomic count, exactly");
}

/* More threads than CPUs allocating, counting, killing and freeing. */
#define THREADS 8
#define ROUNDS 300
static atomic_int bad;

static void *churn(void *arg)
{
	struct percpu_ref *mine = (struct percpu_ref *)arg;

	for (int round = 0; round < ROUNDS; round++) {
		size_t i = (size_t)(mine - refs);

		atomic_store(&released[i], 0);
		if (percpu_ref_init(mine, on_release, 0) != 0) {
			atomic_fetch_add(&bad, 1);
			break;
		}
		percpu_ref_get_many(mine, (unsigned long)round + 1);
		percpu_ref_kill(mine);
		percpu_ref_put_many(mine, (unsigned long)round);
		if (atomic_load(&released[i]) != 0)
			atomic_fetch_add(&bad, 1);
		percpu_ref_put(mine);
		if (atomic_load(&released[i]) != 1)
			atomic_fetch_add(&bad, 1);
		percpu_ref_exit(mine);
	}
	return NULL;
}

static void test_threads(void)
{
	pthread_t t[THREADS];

	if (!setup(THREADS))
		BAIL_OUT("out of memory");
	for (int i = 0; i < THREADS; i++)
		pthread_create(&t[i], NULL, churn, &refs[i]);
	for (int i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	is(atomic_load(&bad), 0, "%d threads allocating and freeing at once: "
	   "every count exact", THREADS);
	is(used_now(), 0, "every slot back");
	teardown();
}

/* fork() while a thread allocates and frees: the child's allocator works. */
static atomic_int stop;

static void *alloc_loop(void *arg)
{
	struct percpu_ref r;

	(void)arg;
	while (!atomic_load(&stop)) {
		if (percpu_ref_init(&r, NULL, PERCPU_REF_INIT_ATOMIC) == 0)
			percpu_ref_exit(&r);
	}
	return NULL;
}

static void test_fork(void)
{
	pthread_t t;
	int hung = 0;

	pthread_create(&t, NULL, alloc_loop, NULL);
	for (int i = 0; i < 50; i++) {
		int status;
		pid_t pid;

		fflush(stdout);
		pid = fork();
		if (pid == 0) {
			struct percpu_ref r;

			alarm(10);
			_exit(percpu_ref_init(&r, NULL, PERCPU_REF_INIT_ATOMIC) != 0);
		}
		if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
		    WEXITSTATUS(status))
			hung++;
	}
	atomic_store(&stop, 1);
	pthread_join(t, NULL);
	is(hung, 0, "50 forks during allocations: every child allocates");
}

/*
 * malloc's heap after 390,000 refs made and exited, trimmed, is back to
 * its size before them (KREF_PERCPU=0 always was): before the chunk
 * headers moved into the chunks, the one chunk kept had its header
 * malloc'ed after every ref's data, so the heap's top stayed 18 MB up.
 */
static void test_heap_given_back(void)
{
#if defined(__GLIBC__) && __GLIBC_PREREQ(2, 33) && !defined(INSTRUMENTED)
	const size_t n = 390000;
	struct mallinfo2 before, after;
	bool all = true;

	if (!setup(n))
		BAIL_OUT("out of memory");
	malloc_trim(0);
	before = mallinfo2();
	for (size_t i = 0; i < n; i++)
		all &= percpu_ref_init(&refs[i], on_release, 0) == 0;
	for (size_t i = 0; i < n; i++)
		percpu_ref_exit(&refs[i]);
	malloc_trim(0);
	after = mallinfo2();
	ok(all, "%zu refs made and exited", n);
	ok(after.arena <= before.arena + 256 * 1024,
	   "malloc's heap back to its size after malloc_trim: %zu bytes, "
	   "was %zu", after.arena, before.arena);
	ok(after.uordblks <= before.uordblks + 4096,
	   "and nothing of libkref's left allocated in it: %zu bytes, was %zu",
	   after.uordblks, before.uordblks);
	teardown();
#else
	ok(1, "# SKIP mallinfo2 describes glibc's malloc, not a sanitizer's "
	   "or valgrind's");
#endif
}

/* A page's 8-byte word: bits 11:3, what 4K aliasing compares. */
static unsigned long page_word(const void *p)
{
	return ((uintptr_t)p & 4095) / 8;
}

/* How many of the words the fast path loads share @r's slot's. */
static size_t collisions(struct percpu_ref *r)
{
	unsigned long w = page_word((void *)counters(r));
	size_t n = (w == page_word(&r->percpu_count_ptr)) +
		   (w == page_word(&percpu_ref_nr_cpus_));

#ifdef KREF_PERCPU_RSEQ
	n += w == page_word(&kref_rseq_area_()->cpu_id);
	n += w == page_word(&kref_rseq_area_()->rseq_cs);
#endif
	return n;
}

/*
 * Each ref where the slot just given back would alias its mode word: a
 * probe ref takes a slot and exits, and the ref is put at the slot's page
 * offset, on a page of its own.  They are kept, so @n of them go through
 * the free stack and every fresh slot of three chunks.
 */
static size_t place_adversarially(struct percpu_ref **r, char *area,
				  size_t n, bool blind)
{
	struct percpu_ref probe;
	size_t aliased = 0;

	kref_percpu_alias_blind_ = blind;
	for (size_t i = 0; i < n; i++) {
		if (percpu_ref_init(&probe, on_release, PERCPU_REF_INIT_ATOMIC))
			BAIL_OUT("out of memory");
		aliased += collisions(&probe);
		r[i] = (struct percpu_ref *)(area + i * 4096 +
					     (counters(&probe) & 4095));
		percpu_ref_exit(&probe);
		if (percpu_ref_init(r[i], on_release, PERCPU_REF_INIT_ATOMIC))
			BAIL_OUT("out of memory");
		aliased += collisions(r[i]);
	}
	for (size_t i = 0; i < n; i++)
		percpu_ref_exit(r[i]);
	kref_percpu_alias_blind_ = false;
	return aliased;
}

/*
 * Issue 19: a slot never shares its page's word with the ref's mode word,
 * percpu_ref_nr_cpus_, or the initialising thread's rseq cpu_id and
 * rseq_cs (a get+put pair is up to 1.4 times slower then).  With the rule
 * off, the same placements alias every time: the test tells them apart.
 */
static void test_no_alias(void)
{
	const size_t n = 1100;
	struct percpu_ref **r = calloc(n, sizeof(*r));
	char *area = mmap(NULL, n * 4096, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	size_t used = used_now(), aliased;

	if (!r || area == MAP_FAILED)
		BAIL_OUT("out of memory");
	aliased = place_adversarially(r, area, n, false);
	is(aliased, 0, "no slot at the page offset of its ref's mode word, "
	   "percpu_ref_nr_cpus_, or this thread's cpu_id or rseq_cs "
	   "(%zu refs)", n);
	is(used_now(), used, "every slot back");
	aliased = place_adversarially(r, area, n, true);
	ok(aliased >= n, "with the rule off, the same placements alias (%zu "
	   "times)", aliased);
	munmap(area, n * 4096);
	free(r);
}

int main(void)
{
	/* Before this process reads KREF_PERCPU_CPUS itself. */
	test_cpus_override();
	if (!percpu_ref_percpu_available()) {
		ok(1, NO_PERCPU ": no per-CPU counters to allocate");
		return done_testing();
	}
	test_million();
	test_freed_slots_first();
	test_no_alias();
	test_heap_given_back();
	test_exact_counts();
	test_reuse_after_exit();
	test_threads();
	test_fork();
	return done_testing();
}
