/* SPDX-License-Identifier: MIT */
/*
 * test_percpu_fork.c - fork() while another thread is inside a percpu_ref
 * mode switch.
 *
 * A thread is stopped inside a switch: in the test hook of
 * src/test_hooks.h, holding the switch lock (the ref half switched: flag
 * set, counters not yet summed), or in the switch's confirmation callback,
 * which runs after the lock is dropped.  The main thread forks.  The
 * thread is let go only once the forking thread is seen blocked (in
 * /proc), or waiting for its child: fork must wait for the switch's
 * critical section, and not for the confirmation, which is the program's
 * code.  Either way the child's count is exact: it drops the reference
 * that a switch it will never see end kept across the confirmation.
 * Without fork handling, fork goes on with the lock held, and the child's
 * first switch waits forever; an alarm() in the child bounds that wait
 * and the child dies of SIGALRM.  The child then kills, switches,
 * resurrects and reinits refs, inherited and new, checks every count, and
 * exits 0.
 *
 * Build: percpu_hooks.o
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/membarrier.h>
#include <semaphore.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <kref.h>
#include "../../src/test_hooks.h"
#include "percpu_mode.h"
#include "proc_self.h"
#include "tap.h"

#define ROUNDS		40	/* forks per way of holding a switch */
#define HELD		5	/* references the main thread holds */
#define WATCHDOG	10	/* seconds: a child that takes longer hangs */

enum held_in { IN_HOOK_SWITCH, IN_HOOK_KILL, IN_CONFIRM_SWITCH, IN_CONFIRM_KILL,
	       WAYS };
static const char *const way_name[WAYS] = {
	"a switch to atomic mode, half done", "a kill, half done",
	"a switch's confirmation", "a kill's confirmation",
};

static struct percpu_ref ref;
static sem_t in_switch, resume, forking;
static atomic_bool hold_in_hook, all_forked;
static atomic_int releases;
static pid_t main_tid;

static void hook(struct percpu_ref *r, enum kref_internal_hook_point point)
{
	if (r != &ref || point != KREF_INTERNAL_HOOK_SWITCH_FLAGGED ||
	    !atomic_exchange(&hold_in_hook, false))	/* once per hold */
		return;
	sem_post(&in_switch);
	while (sem_wait(&resume) != 0)
		;
}

static void hold_confirm(struct percpu_ref *r)
{
	(void)r;
	sem_post(&in_switch);
	while (sem_wait(&resume) != 0)
		;
}

static void on_release(struct percpu_ref *r)
{
	(void)r;
	atomic_fetch_add(&releases, 1);
}

static void *switcher(void *arg)
{
	switch ((enum held_in)(size_t)arg) {
	case IN_HOOK_SWITCH:
		percpu_ref_switch_to_atomic_sync(&ref);
		break;
	case IN_HOOK_KILL:
		percpu_ref_kill(&ref);
		break;
	case IN_CONFIRM_SWITCH:
		percpu_ref_switch_to_atomic(&ref, hold_confirm);
		break;
	default:
		percpu_ref_kill_and_confirm(&ref, hold_confirm);
	}
	return NULL;
}

/* Our own fork handler, registered after libkref's, so it runs first. */
static void fork_started(void)
{
	sem_post(&forking);
}

/* Lets the held switch go once the forking thread blocks inside fork. */
static void *releaser(void *arg)
{
	(void)arg;
	for (;;) {
		char state;

		while (sem_wait(&forking) != 0)
			;
		if (atomic_load(&all_forked))
			return NULL;
		while ((state = task_state(main_tid)) != 0 && state != 'S')
			sched_yield();
		sem_post(&resume);
	}
}

/* ---- in the child ------------------------------------------------------ */

static int child_failures;

static void check(bool cond, const char *what)
{
	if (!cond) {
		fprintf(stderr, "child: %s\n", what);
		child_failures++;
	}
}

static long count_of(struct percpu_ref *r)
{
	return atomic_load(&r->data->count);
}

/* A ref of the child's own, through every call. */
static void child_new_ref(void)
{
	struct percpu_ref r;

	atomic_store(&releases, 0);
	check(percpu_ref_init(&r, on_release, PERCPU_REF_ALLOW_REINIT) == 0, "init");
	percpu_ref_get(&r);
	percpu_ref_switch_to_atomic_sync(&r);
	check(count_of(&r) == 2, "new ref: switch to atomic sums two references");
	percpu_ref_switch_to_percpu(&r);
	for (int i = 0; i < 1000; i++) {
		percpu_ref_get(&r);
		check(percpu_ref_tryget_live(&r), "new ref: tryget_live");
		percpu_ref_put_many(&r, 2);
	}
	percpu_ref_kill(&r);
	check(percpu_ref_is_dying(&r) && count_of(&r) == 1,
	      "new ref: killed, one reference left");
	percpu_ref_resurrect(&r);
	percpu_ref_put(&r);
	percpu_ref_kill(&r);
	check(atomic_load(&releases) == 1, "new ref: released once");
	percpu_ref_reinit(&r);
	percpu_ref_get(&r);
	percpu_ref_put(&r);
	percpu_ref_kill(&r);
	check(atomic_load(&releases) == 2, "new ref: reinit, released once more");
	percpu_ref_exit(&r);
}

/* The ref the parent was switching: whole, in atomic mode, exact. */
static int child(enum held_in way, bool allow_reinit)
{
	bool killed = way == IN_HOOK_KILL || way == IN_CONFIRM_KILL;
	long count;

	alarm(WATCHDOG);
	if (percpu_mode())
		check(syscall(__NR_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0) == 0,
		      "membarrier registration is inherited");
	check(percpu_ref_is_dying(&ref) == killed, "inherited ref: dying iff killed");
	count = count_of(&ref);
	check(count == HELD + !killed, "inherited ref: atomic, with the exact count");
	atomic_store(&releases, 0);
	if (!killed) {
		if (allow_reinit)	/* without it, atomic for good */
			percpu_ref_switch_to_percpu(&ref);
		percpu_ref_get(&ref);
		percpu_ref_put(&ref);
		percpu_ref_kill(&ref);
	}
	percpu_ref_put_many(&ref, HELD - 1);
	check(atomic_load(&releases) == 0, "inherited ref: not released early");
	percpu_ref_put(&ref);
	check(atomic_load(&releases) == 1, "inherited ref: released by the last put");
	if (allow_reinit) {
		percpu_ref_reinit(&ref);
		percpu_ref_switch_to_percpu(&ref);
		percpu_ref_kill(&ref);
		check(atomic_load(&releases) == 2, "inherited ref: reinit, released again");
	}
	percpu_ref_exit(&ref);
	child_new_ref();
	return child_failures ? 1 : 0;
}

static void child_exit(int status)
{
#if defined(KREF_TSAN) || defined(__SANITIZE_ADDRESS__)
	/* The sanitizers' exit checks would take the parent's threads for
	 * running ones (LeakSanitizer warns, ThreadSanitizer waits 1 s). */
	fflush(NULL);
	_exit(status);
#else
	exit(status);
#endif
}

/* ---- in the parent ----------------------------------------------------- */

int main(void)
{
	int fine[WAYS] = { 0 }, parent_ok = 0, rounds = 0;
	bool hung = false;
	pthread_t rel;

	kref_internal_percpu_hook = hook;
	sem_init(&in_switch, 0, 0);
	sem_init(&resume, 0, 0);
	sem_init(&forking, 0, 0);
	main_tid = (pid_t)syscall(SYS_gettid);
	percpu_mode();	/* libkref's fork handler is in place */
	pthread_atfork(fork_started, NULL, NULL);
	pthread_create(&rel, NULL, releaser, NULL);

	for (int round = 0; round < ROUNDS && !hung; round++) {
		for (int w = 0; w < WAYS && !hung; w++) {
			enum held_in way = (enum held_in)w;
			bool killed = way == IN_HOOK_KILL || way == IN_CONFIRM_KILL;
			bool allow_reinit = round % 2;
			int status;
			pthread_t t;
			pid_t pid;

			/* The hook is reached only from per-CPU mode. */
			if (way <= IN_HOOK_KILL && !percpu_mode())
				continue;
			rounds++;
			atomic_store(&releases, 0);
			percpu_ref_init(&ref, on_release,
					allow_reinit ? PERCPU_REF_ALLOW_REINIT : 0);
			percpu_ref_get_many(&ref, HELD);
			atomic_store(&hold_in_hook, way <= IN_HOOK_KILL);
			pthread_create(&t, NULL, switcher, (void *)(size_t)way);
			while (sem_wait(&in_switch) != 0)
				;
			fflush(stdout);
			pid = fork();
			if (pid == 0)
				child_exit(child(way, allow_reinit));
			waitpid(pid, &status, 0);
			pthread_join(t, NULL);
			if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
				fine[w]++;
			else
				hung = true;	/* one failed child is enough */
			if (WIFSIGNALED(status))
				diag("%s: the child died of signal %d (%s)", way_name[w],
				     WTERMSIG(status), WTERMSIG(status) == SIGALRM ?
				     "hung, the watchdog fired" : strsignal(WTERMSIG(status)));
			if (!killed)
				percpu_ref_kill(&ref);
			percpu_ref_put_many(&ref, HELD);
			parent_ok += atomic_load(&releases) == 1;
			percpu_ref_exit(&ref);
		}
	}
	atomic_store(&all_forked, true);
	sem_post(&forking);
	pthread_join(rel, NULL);

	for (int w = 0; w < WAYS; w++) {
		if (w <= IN_HOOK_KILL && !percpu_mode()) {
			ok(1, "# SKIP per-CPU mode off (KREF_PERCPU=0, or no rseq): no half-done switch");
			continue;
		}
		is(fine[w], ROUNDS, "fork during %s: the child used libkref and "
		   "exited 0, %d times", way_name[w], ROUNDS);
	}
	is(parent_ok, rounds, "the parent's refs: released once after each fork");
	return done_testing();
}
