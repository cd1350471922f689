/* SPDX-License-Identifier: MIT */
/*
 * test_percpu.c - percpu_ref: every call's semantics, per-CPU gets and puts
 * never touching the shared counter, each misuse and what it does where
 * libkref parts from mainline (docs/parity.md), and threads getting and
 * putting while the ref switches modes back and forth and is killed:
 * release exactly once, after the last put.  Confirmations that switch,
 * kill and exit other refs, and a switch that waits for another thread's
 * confirmation.  Run as is, and with KREF_PERCPU=0 (atomic
 * mode only: the fallback) by tests/percpu-fallback.sh.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <stddef.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <kref.h>
#include "child.h"
#include "percpu_mode.h"
#include "proc_self.h"
#include "tap.h"

static struct percpu_ref ref;
static atomic_int releases, confirms, puts_done, puts_at_release;

/* Not static: reports name the ref by its release function, which
 * dladdr() finds in the dynamic symbol table (-rdynamic). */
void on_release(struct percpu_ref *r);

void on_release(struct percpu_ref *r)
{
	atomic_store(&puts_at_release, atomic_load(&puts_done));
	atomic_fetch_add(&releases, 1);
	(void)r;
}

static void on_confirm(struct percpu_ref *r)
{
	ok(percpu_ref_is_dying(r) || r->data->force_atomic,
	   "  confirm runs once the switch is done");
	atomic_fetch_add(&confirms, 1);
}

static long shared_count(void)
{
	return atomic_load(&ref.data->count);
}

static void reset(void)
{
	atomic_store(&releases, 0);
	atomic_store(&confirms, 0);
}

static void test_percpu_mode(void)
{
	long before;

	reset();
	is(percpu_ref_init(&ref, on_release, 0), 0, "percpu_ref_init");
	if (!percpu_mode()) {
		ok(percpu_ref_is_zero(&ref) == false && !percpu_ref_is_dying(&ref),
		   "per-CPU mode unavailable: the ref starts in atomic mode, live");
	} else {
		before = shared_count();
		for (int i = 0; i < 1000; i++) {
			percpu_ref_get(&ref);
			percpu_ref_put(&ref);
		}
		percpu_ref_get_many(&ref, 5);
		is(shared_count(), before, "per-CPU gets and puts leave the shared "
		   "counter alone");
		ok(!percpu_ref_is_zero(&ref), "is_zero is false in per-CPU mode");
		percpu_ref_put_many(&ref, 5);
	}
	ok(percpu_ref_tryget(&ref) && percpu_ref_tryget_live(&ref) &&
	   percpu_ref_tryget_live_rcu(&ref),
	   "tryget, tryget_live and tryget_live_rcu succeed on a live ref");
	percpu_ref_put_many(&ref, 3);
	percpu_ref_get(&ref);			/* a user's reference */
	percpu_ref_kill_and_confirm(&ref, on_confirm);
	is(atomic_load(&confirms), 1, "kill_and_confirm calls confirm once");
	ok(percpu_ref_is_dying(&ref), "the ref is dying after the kill");
	is(atomic_load(&releases), 0, "not released while a user holds a reference");
	ok(!percpu_ref_tryget_live(&ref), "tryget_live fails after the kill");
	ok(!percpu_ref_tryget_live_rcu(&ref), "  and so does tryget_live_rcu");
	ok(percpu_ref_tryget(&ref), "tryget still succeeds (references remain)");
	percpu_ref_put(&ref);
	is(shared_count(), 1, "the atomic count is the one reference left");
	percpu_ref_put(&ref);
	is(atomic_load(&releases), 1, "the last put releases, once");
	ok(percpu_ref_is_zero(&ref), "and the count is zero");
	ok(!percpu_ref_tryget(&ref), "tryget fails at zero");
	percpu_ref_exit(&ref);
	ok(percpu_ref_is_zero(&ref) && ref.data == NULL, "exit frees; is_zero still answers");
}

static void test_init_flags(void)
{
	reset();
	percpu_ref_init(&ref, on_release, PERCPU_REF_INIT_ATOMIC);
	percpu_ref_get(&ref);
	is(shared_count(), 2, "INIT_ATOMIC: gets go to the shared counter");
	percpu_ref_switch_to_percpu(&ref);
	if (percpu_mode()) {
		long before = shared_count();

		percpu_ref_get(&ref);
		is(shared_count(), before, "switch_to_percpu: gets go per-CPU");
	} else {
		percpu_ref_get(&ref);
		is(shared_count(), 3, "switch_to_percpu unavailable: still atomic");
	}
	percpu_ref_switch_to_atomic_sync(&ref);
	is(shared_count(), 3, "switch_to_atomic_sync: the count is summed back");
	percpu_ref_put_many(&ref, 2);
	percpu_ref_kill(&ref);
	is(atomic_load(&releases), 1, "kill drops the last reference: released");
	percpu_ref_exit(&ref);

	reset();
	percpu_ref_init(&ref, on_release, PERCPU_REF_INIT_DEAD);
	ok(percpu_ref_is_dying(&ref) && percpu_ref_is_zero(&ref),
	   "INIT_DEAD: dying, count 0");
	ok(!percpu_ref_tryget_live(&ref) && !percpu_ref_tryget(&ref),
	   "  no tryget succeeds");
	percpu_ref_reinit(&ref);
	ok(!percpu_ref_is_dying(&ref) && percpu_ref_tryget_live(&ref),
	   "reinit: live again, with one reference");
	percpu_ref_put(&ref);
	percpu_ref_kill(&ref);
	is(atomic_load(&releases), 1, "  and killed, released once");
	percpu_ref_exit(&ref);

	reset();
	percpu_ref_init(&ref, on_release, PERCPU_REF_ALLOW_REINIT);
	percpu_ref_get(&ref);
	percpu_ref_kill(&ref);
	percpu_ref_resurrect(&ref);
	ok(!percpu_ref_is_dying(&ref) && atomic_load(&releases) == 0,
	   "resurrect undoes a kill that has not released");
	percpu_ref_put(&ref);
	percpu_ref_kill(&ref);
	is(atomic_load(&releases), 1, "  the next kill releases, once");
	percpu_ref_exit(&ref);
}

/* ---- misuse, and where libkref parts from mainline -------------------- */

/* For children: on_confirm's ok() would print to the parent's TAP stream. */
static void count_confirm(struct percpu_ref *r)
{
	(void)r;
	atomic_fetch_add(&confirms, 1);
}

static long count_now(void)
{
	return (long)atomic_load(&ref.data->count);
}

static int kill_twice(void)
{
	percpu_ref_init(&ref, on_release, 0);
	percpu_ref_get(&ref);
	percpu_ref_kill(&ref);
	percpu_ref_kill_and_confirm(&ref, count_confirm);
	fprintf(stderr, "releases=%d confirms=%d count=%ld\n",
		atomic_load(&releases), atomic_load(&confirms), count_now());
	percpu_ref_put(&ref);
	fprintf(stderr, "then releases=%d\n", atomic_load(&releases));
	return 0;
}

static void test_kill_twice(void)
{
	reset();
	run_child(kill_twice, NULL);
	is(count_lines("percpu_ref_kill_and_confirm called more than once on "
		       "on_release!"), 1, "killing twice is reported, with the kernel's text");
	ok(strstr(output, "releases=0 confirms=1 count=1\n") != NULL,
	   "  the second kill puts no reference (the kernel's does) and confirms");
	ok(strstr(output, "then releases=1\n") != NULL,
	   "  the holder's put releases, once");
}

static int resurrect_live(void)
{
	percpu_ref_init(&ref, on_release, PERCPU_REF_ALLOW_REINIT);
	percpu_ref_resurrect(&ref);
	percpu_ref_kill(&ref);
	fprintf(stderr, "releases=%d\n", atomic_load(&releases));
	return 0;
}

static void test_resurrect_live(void)
{
	reset();
	run_child(resurrect_live, NULL);
	is(count_lines("percpu_ref_resurrect on a ref that is not dead"), 1,
	   "resurrecting a live ref is reported");
	ok(strstr(output, "releases=1\n") != NULL,
	   "  and takes no reference (the kernel's does): the kill releases");
}

/* Without PERCPU_REF_ALLOW_REINIT a switch to atomic mode is for good: the
 * counters are freed, as in the kernel, but the ref stays live. */
static int switch_without_reinit(void)
{
	bool freed;

	percpu_ref_init(&ref, on_release, 0);
	percpu_ref_switch_to_atomic_sync(&ref);
	freed = !(atomic_load(&ref.percpu_count_ptr) & ~__PERCPU_REF_ATOMIC_DEAD);
	fprintf(stderr, "switched: dying=%d tryget_live=%d freed=%d\n",
		percpu_ref_is_dying(&ref), percpu_ref_tryget_live(&ref), freed);
	percpu_ref_switch_to_percpu(&ref);
	percpu_ref_get(&ref);
	fprintf(stderr, "back: count=%ld\n", count_now());
	percpu_ref_put_many(&ref, 2);
	percpu_ref_kill(&ref);
	fprintf(stderr, "releases=%d\n", atomic_load(&releases));
	percpu_ref_exit(&ref);
	return 0;
}

static int resurrect_without_reinit(void)
{
	percpu_ref_init(&ref, on_release, 0);
	percpu_ref_get(&ref);
	percpu_ref_kill(&ref);
	percpu_ref_resurrect(&ref);
	percpu_ref_get(&ref);
	fprintf(stderr, "resurrected: dying=%d count=%ld\n",
		percpu_ref_is_dying(&ref), count_now());
	percpu_ref_put_many(&ref, 2);
	percpu_ref_kill(&ref);
	fprintf(stderr, "releases=%d\n", atomic_load(&releases));
	percpu_ref_exit(&ref);
	return 0;
}

static const char no_reinit[] = "percpu ref (on_release) back to per-CPU mode "
	"without PERCPU_REF_ALLOW_REINIT: it stays in atomic mode";

static void test_without_reinit(void)
{
	bool percpu = percpu_mode();

	reset();
	run_child(switch_without_reinit, NULL);
	ok(strstr(output, "switched: dying=0 tryget_live=1 ") != NULL,
	   "no ALLOW_REINIT: after a switch to atomic the ref is live (the "
	   "kernel's reads as dead)");
	if (percpu)
		ok(strstr(output, "freed=1\n") != NULL,
		   "  its per-CPU counters are freed, as in the kernel");
	else
		ok(1, "# SKIP per-CPU mode off (KREF_PERCPU=0, or no rseq): no "
		   "counters to free");
	is(count_lines(no_reinit), 1, "  going back to per-CPU mode is reported");
	ok(strstr(output, "back: count=3\n") != NULL,
	   "  and the ref stays in atomic mode");
	ok(strstr(output, "releases=1\n") != NULL &&
	   !strstr(output, "more than once"),
	   "  its first kill is no second one, and releases once");

	reset();
	run_child(resurrect_without_reinit, NULL);
	is(count_lines(no_reinit), 1, "no ALLOW_REINIT: resurrecting after a kill "
	   "is reported (the kernel's stops with BUG())");
	ok(strstr(output, "resurrected: dying=0 count=3\n") != NULL,
	   "  the ref is live again, in atomic mode, counting");
	ok(strstr(output, "releases=1\n") != NULL, "  and the next kill releases once");
}

/* More puts than gets in per-CPU mode: the switch finds the count at 0. */
static int underflow(void)
{
	percpu_ref_init(&ref, on_release, 0);
	percpu_ref_put(&ref);
	percpu_ref_put(&ref);		/* one more than was ever taken */
	percpu_ref_switch_to_atomic_sync(&ref);
	fprintf(stderr, "switched: releases=%d saturated=%d\n",
		atomic_load(&releases),
		(unsigned long)count_now() >= ULONG_MAX >> 3 && count_now() > 0);
	/* From the kernel's -1, two gets and a put would reach 0 and release
	 * under the holder of the other get. */
	percpu_ref_get_many(&ref, 2);
	percpu_ref_put(&ref);
	percpu_ref_kill(&ref);
	fprintf(stderr, "killed: releases=%d\n", atomic_load(&releases));
	return 0;
}

static void test_underflow(void)
{
	if (!percpu_mode()) {
		ok(1, "# SKIP per-CPU mode off (KREF_PERCPU=0, or no rseq): puts "
		   "in atomic mode release at 0");
		return;
	}
	reset();
	run_child(underflow, NULL);
	is(count_lines("percpu ref (on_release) <= 0 (0) after switching to atomic"), 1,
	   "a count of 0 after the switch to atomic is reported, with the kernel's text");
	ok(strstr(output, "switched: releases=0 saturated=1\n") != NULL,
	   "  the count saturates (the kernel's goes on from 0)");
	ok(strstr(output, "killed: releases=0\n") != NULL,
	   "  so no later put releases the object: it leaks");
}

/* A switch whose membarrier fails must stop, not sum counters that may
 * still be added to.  A seccomp filter makes membarrier fail with EPERM. */
static int switch_without_membarrier(void)
{
	struct sock_filter deny[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_membarrier, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = 4, .filter = deny };

	percpu_ref_init(&ref, on_release, 0);
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) != 0) {
		fprintf(stderr, "no seccomp\n");
		return 0;
	}
	percpu_ref_switch_to_atomic_sync(&ref);
	fprintf(stderr, "switched\n");
	return 0;
}

static void test_membarrier_fails(void)
{
	int status;

	if (!percpu_mode()) {
		ok(1, "# SKIP per-CPU mode off (KREF_PERCPU=0, or no rseq): "
		   "no membarrier to fail");
		return;
	}
	status = run_child(switch_without_membarrier, NULL);
	if (strstr(output, "no seccomp\n")) {
		ok(1, "# SKIP seccomp filters unavailable here");
		return;
	}
	ok(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT &&
	   count_lines("percpu_ref: membarrier failed during a switch to "
		       "atomic mode; cannot go on safely") == 1 &&
	   !strstr(output, "switched\n"),
	   "a switch whose membarrier fails (seccomp) is reported and aborts");
}

/* ---- gets and puts racing mode switches and the kill ------------------ */

#define THREADS		3
#define PAIRS		200000
#define SWITCHES	200

static atomic_int stop;

static void *worker(void *arg)
{
	long n = 0;

	(void)arg;
	while (!atomic_load(&stop) || n < PAIRS) {
		percpu_ref_get(&ref);
		if (percpu_ref_tryget(&ref))
			percpu_ref_put(&ref);
		atomic_fetch_add(&puts_done, 1);
		percpu_ref_put(&ref);
		n++;
	}
	/* Our own reference, taken for us before the thread started. */
	atomic_fetch_add(&puts_done, 1);
	percpu_ref_put(&ref);
	return NULL;
}

static void test_switch_race(void)
{
	pthread_t t[THREADS];
	int expected_puts;

	reset();
	atomic_store(&puts_done, 0);
	atomic_store(&stop, 0);
	percpu_ref_init(&ref, on_release, PERCPU_REF_ALLOW_REINIT);
	for (int i = 0; i < THREADS; i++) {
		percpu_ref_get(&ref);	/* Rule 1: before the handoff */
		pthread_create(&t[i], NULL, worker, NULL);
	}
	for (int i = 0; i < SWITCHES; i++) {
		percpu_ref_switch_to_atomic_sync(&ref);
		percpu_ref_switch_to_percpu(&ref);
	}
	atomic_store(&stop, 1);
	percpu_ref_kill(&ref);		/* races with the workers' last pairs */
	for (int i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	is(atomic_load(&releases), 1, "%d threads, %d mode switches, a kill: "
	   "released exactly once", THREADS, 2 * SWITCHES);
	expected_puts = atomic_load(&puts_done);
	is(atomic_load(&puts_at_release), expected_puts,
	   "  after the last of the %d puts (no reference lost or early)",
	   expected_puts);
	percpu_ref_exit(&ref);
}

/*
 * Confirmations and release() are the program's code, run with no lock
 * held (as the kernel's RCU callbacks are): one ref's confirmation kills
 * another ref, whose release exits it, and exits a third still in per-CPU
 * mode; a switch's confirmation switches another ref.  alarm() bounds a
 * deadlock.
 */
static struct percpu_ref parent, child, other;
static atomic_int child_releases;

static void child_release(struct percpu_ref *r)
{
	atomic_fetch_add(&child_releases, 1);
	percpu_ref_exit(r);
}

static void parent_release(struct percpu_ref *r)
{
	percpu_ref_exit(r);
}

static void parent_confirm(struct percpu_ref *r)
{
	(void)r;
	percpu_ref_kill(&child);
	percpu_ref_exit(&other);
}

static void switch_confirm(struct percpu_ref *r)
{
	(void)r;
	percpu_ref_switch_to_atomic_sync(&other);
}

static void test_callbacks_reenter(void)
{
	alarm(20);
	if (percpu_ref_init(&parent, parent_release, 0) ||
	    percpu_ref_init(&child, child_release, 0) ||
	    percpu_ref_init(&other, on_release, PERCPU_REF_ALLOW_REINIT))
		BAIL_OUT("percpu_ref_init failed");
	percpu_ref_switch_to_atomic(&parent, switch_confirm);
	ok(percpu_ref_is_zero(&other) == false && (atomic_load(&other.percpu_count_ptr) &
	   __PERCPU_REF_ATOMIC), "a switch's confirmation switched another ref");
	percpu_ref_switch_to_percpu(&other);
	percpu_ref_kill_and_confirm(&parent, parent_confirm);
	is(atomic_load(&child_releases), 1, "a kill's confirmation killed another "
	   "ref, whose release exited it");
	ok(!child.data && !other.data, "and exited a third, in per-CPU mode");
	ok(!parent.data, "the killed ref's own release exited it");
	alarm(0);
}

/*
 * While one thread's confirmation runs, another thread's switch of the
 * same ref waits (the kernel's wait for a pending confirmation): the
 * confirmation always sees the mode it confirms.  The second switcher is
 * seen blocked in /proc, or done, before the confirmation checks.
 */
static struct percpu_ref waited;
static sem_t in_confirm, confirm_go;
static atomic_bool second_done, mode_held;

static void slow_confirm(struct percpu_ref *r)
{
	sem_post(&in_confirm);
	while (sem_wait(&confirm_go) != 0)
		;
	atomic_store(&mode_held, (atomic_load(&r->percpu_count_ptr) &
				  __PERCPU_REF_ATOMIC) != 0);
}

static void *first_switcher(void *arg)
{
	(void)arg;
	percpu_ref_switch_to_atomic(&waited, slow_confirm);
	return NULL;
}

static atomic_int second_tid;

static void *second_switcher(void *arg)
{
	(void)arg;
	atomic_store(&second_tid, (int)syscall(SYS_gettid));
	percpu_ref_switch_to_percpu(&waited);
	atomic_store(&second_done, true);
	return NULL;
}

static void test_switch_waits_for_confirm(void)
{
	pthread_t a, b;

	alarm(20);
	sem_init(&in_confirm, 0, 0);
	sem_init(&confirm_go, 0, 0);
	if (percpu_ref_init(&waited, on_release, PERCPU_REF_ALLOW_REINIT))
		BAIL_OUT("percpu_ref_init failed");
	pthread_create(&a, NULL, first_switcher, NULL);
	while (sem_wait(&in_confirm) != 0)
		;
	pthread_create(&b, NULL, second_switcher, NULL);
	while (!atomic_load(&second_done) &&
	       (!atomic_load(&second_tid) || task_state((pid_t)atomic_load(&second_tid)) != 'S'))
		sched_yield();
	ok(!atomic_load(&second_done), "another thread's switch of the ref waits "
	   "while a confirmation runs");
	sem_post(&confirm_go);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	ok(atomic_load(&mode_held), "the confirmation saw the mode it confirms");
	ok(atomic_load(&second_done) && (!percpu_mode() ||
	   !(atomic_load(&waited.percpu_count_ptr) & __PERCPU_REF_ATOMIC)),
	   "then that switch ran");
	percpu_ref_kill(&waited);
	percpu_ref_exit(&waited);
	alarm(0);
}

int main(void)
{
	diag("per-CPU mode %savailable", percpu_mode() ? "" : "NOT ");
	test_percpu_mode();
	test_init_flags();
	test_kill_twice();
	test_resurrect_live();
	test_without_reinit();
	test_underflow();
	test_membarrier_fails();
	test_switch_race();
	test_callbacks_reenter();
	test_switch_waits_for_confirm();
	return done_testing();
}
