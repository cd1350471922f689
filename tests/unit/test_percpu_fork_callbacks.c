/* SPDX-License-Identifier: MIT */
/*
 * test_percpu_fork_callbacks.c - fork() never waits for the program's
 * code (libkref issue 19).
 *
 * Forks from inside a switch's confirmation, a kill's confirmation, a
 * release() and a refcount warn handler, in 1, 2 and 8 threads at once
 * (every one in its callback, held there by a barrier, when they fork),
 * and again with each forking thread holding a lock of the program that
 * another thread's confirmation or release() is waiting for.  Before the
 * fix, fork() waited for every other thread's confirmation and puts: two
 * threads that fork from their confirmations hung, each fork waiting for
 * the other's callback, and so did a fork with a lock that another
 * callback takes.  Then fork() from a signal handler that interrupted a
 * libkref critical section of its own thread (the switch lock, held in the
 * test hooks of src/test_hooks.h: mid-switch, and mid-change of the list
 * of switches being confirmed while another thread confirms; the
 * allocator's lock), which waited for itself.
 *
 * The forking thread's child returns from the callback into libkref,
 * which ends the call it interrupted, then checks every ref: the others
 * that were being confirmed have exact counts (the reference each switch
 * kept across its confirmation is dropped), can be switched and killed at
 * once (no wait for a confirmation that no thread will end), and release
 * once; a new ref works; the child exits 0.  The parent checks its refs
 * after every thread is done.  A hang is a failure: alarm() in parent and
 * child, whose handler names the case.  No sleeps: barriers, and a lock
 * that the waiting callback takes once every fork is over.
 *
 * Build: percpu_hooks.o
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <kref.h>
#include "../../src/test_hooks.h"
#include "../../src/internal.h"
#include "percpu_mode.h"
#include "tap.h"

#define MAXT		8
#define HELD		3	/* references the main thread holds on a ref */
#define WATCHDOG	30	/* seconds: longer is a hang */

enum kind { CONFIRM_SWITCH, CONFIRM_KILL, RELEASE, WARN, KINDS };
static const char *const kind_name[KINDS] = {
	"a switch's confirmation", "a kill's confirmation", "a release()",
	"a refcount warn handler",
};

struct forker {
	int id;
	pthread_t thread;
	struct percpu_ref ref;
	atomic_int released;
	int status;		/* its child's wait status */
	pid_t child;
};

/* The case under way. */
static enum kind kind;
static int nthreads;
static bool user_lock;
static char case_name[160];

static struct forker forkers[MAXT];
static struct percpu_ref victim_ref;	/* the waiting callback's */
static atomic_int victim_released;
static pthread_barrier_t all_in;	/* every callback entered */
static pthread_mutex_t locks[MAXT];	/* the program's: forker i holds i */
static pid_t parent_pid;
static _Thread_local struct forker *me;

static void watchdog(int sig)
{
	char line[256];
	int n = snprintf(line, sizeof(line), "# %s: hung in %s (watchdog)\n",
			 getpid() == parent_pid ? "parent" : "child", case_name);

	(void)sig;
	if (write(STDOUT_FILENO, line, (size_t)n) < 0)
		_exit(3);
	_exit(2);
}

static bool in_child(void)
{
	return getpid() != parent_pid;
}

static void child_exit(int status)
{
	fflush(NULL);
	_exit(status);	/* the parent's threads are not here: no exit checks */
}

/* ---- in a child -------------------------------------------------------- */

static int child_failures;

static void check(bool cond, const char *what, int i)
{
	if (!cond) {
		fprintf(stderr, "child of forker %d (%s): %s (ref %d)\n",
			me ? me->id : -1, case_name, what, i);
		child_failures++;
	}
}

static long count_of(struct percpu_ref *r)
{
	return (long)atomic_load(&r->data->count);
}

static atomic_int new_released;

static void new_release(struct percpu_ref *r)
{
	(void)r;
	atomic_fetch_add(&new_released, 1);
}

/* A ref of the child's own: the locks are free, the allocator works. */
static void child_new_ref(void)
{
	struct percpu_ref r;

	check(percpu_ref_init(&r, new_release, PERCPU_REF_ALLOW_REINIT) == 0,
	      "init", -1);
	percpu_ref_switch_to_atomic_sync(&r);
	percpu_ref_switch_to_percpu(&r);
	percpu_ref_get(&r);
	percpu_ref_kill(&r);
	percpu_ref_put(&r);
	check(atomic_load(&new_released) == 1, "a new ref: released once", -1);
	percpu_ref_exit(&r);
}

/* What a ref's own thread had done to it when the fork came. */
enum state { UNTOUCHED, SWITCHED, KILLED, RELEASED };

static enum state forkers_state(void)
{
	static const enum state of[KINDS] = { SWITCHED, KILLED, RELEASED, UNTOUCHED };

	return of[kind];
}

/*
 * A ref whose switch another thread was confirming when the fork came, or
 * which this thread's own call has just ended: whole, exact, and usable.
 */
static void child_check_ref(struct percpu_ref *r, atomic_int *released,
			    enum state state, int i)
{
	switch (state) {
	case RELEASED:
		check(atomic_load(released) == 1, "released once", i);
		return;
	case UNTOUCHED:
		percpu_ref_kill(r);
		check(count_of(r) == HELD, "killed here: exact count", i);
		break;
	case SWITCHED:
		check(count_of(r) == HELD + 1, "switched: atomic, exact count", i);
		percpu_ref_kill(r);	/* waits for no confirmation */
		break;
	case KILLED:
		check(percpu_ref_is_dying(r), "killed: dead", i);
		check(count_of(r) == HELD, "killed: exact count", i);
		break;
	}
	percpu_ref_put_many(r, HELD - 1);
	check(atomic_load(released) == 0, "not released early", i);
	percpu_ref_put(r);
	check(atomic_load(released) == 1, "released by the last put", i);
}

/* The forking thread's child, back from its callback: its libkref call
 * has ended here as in the parent. */
static void child_after_call(void)
{
	for (int i = 0; i < nthreads; i++)
		child_check_ref(&forkers[i].ref, &forkers[i].released,
				forkers_state(), i);
	/* The waiting callback's ref: a confirmation or a release. */
	if (user_lock)
		child_check_ref(&victim_ref, &victim_released,
				kind == RELEASE ? RELEASED : SWITCHED, -2);
	child_new_ref();
	if (user_lock)
		pthread_mutex_unlock(&locks[me->id]);
	child_exit(child_failures ? 1 : 0);
}

/* ---- the callbacks ----------------------------------------------------- */

/* Every forker, in its callback: all in, then all fork at once. */
static void fork_here(void)
{
	pid_t pid;

	if (user_lock)
		pthread_mutex_lock(&locks[me->id]);
	pthread_barrier_wait(&all_in);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		alarm(WATCHDOG);
		return;		/* back into libkref, in the child */
	}
	me->child = pid;
	while (waitpid(pid, &me->status, 0) < 0 && errno == EINTR)
		;
	if (user_lock)
		pthread_mutex_unlock(&locks[me->id]);
}

static void forker_confirm(struct percpu_ref *r)
{
	(void)r;
	fork_here();
}

static void on_release(struct percpu_ref *r)
{
	struct forker *f = (struct forker *)((char *)r - offsetof(struct forker, ref));

	atomic_fetch_add(&f->released, 1);
	if (kind == RELEASE && f == me && !in_child())
		fork_here();
}

static void forker_warn(refcount_t *r, enum refcount_saturation_type t)
{
	(void)r;
	(void)t;
	if (me && !in_child())
		fork_here();
}

/* The other thread's callback: it takes every forker's lock, which each
 * holds across its fork (before the fix, each fork waited for it). */
static void victim_callback(struct percpu_ref *r)
{
	(void)r;
	pthread_barrier_wait(&all_in);
	for (int i = 0; i < nthreads; i++) {
		pthread_mutex_lock(&locks[i]);
		pthread_mutex_unlock(&locks[i]);
	}
}

static void victim_release(struct percpu_ref *r)
{
	atomic_fetch_add(&victim_released, 1);
	if (kind == RELEASE && user_lock && !in_child())
		victim_callback(r);
}

static void *victim_main(void *arg)
{
	(void)arg;
	if (kind == RELEASE)
		percpu_ref_kill(&victim_ref);	/* the last reference: release */
	else
		percpu_ref_switch_to_atomic(&victim_ref, victim_callback);
	return NULL;
}

static void *forker_main(void *arg)
{
	refcount_t rc = REFCOUNT_INIT(0);

	me = arg;
	switch (kind) {
	case CONFIRM_SWITCH:
		percpu_ref_switch_to_atomic(&me->ref, forker_confirm);
		break;
	case CONFIRM_KILL:
		percpu_ref_kill_and_confirm(&me->ref, forker_confirm);
		break;
	case RELEASE:
		percpu_ref_kill(&me->ref);	/* the last reference: release */
		break;
	default:
		refcount_inc(&rc);		/* addition on 0: the handler */
	}
	if (in_child())
		child_after_call();
	return NULL;
}

/* ---- in the parent ----------------------------------------------------- */

/* One case; true if every child exited 0 and the parent's refs are right. */
static bool run_case(void)
{
	int held = kind == RELEASE ? 0 : HELD, fine = 0, parent_fine = 0;
	pthread_t victim;

	snprintf(case_name, sizeof(case_name), "fork from %s in %d thread%s%s",
		 kind_name[kind], nthreads, nthreads > 1 ? "s" : "",
		 user_lock ? ", a lock held that another callback takes" : "");
	alarm(WATCHDOG);
	pthread_barrier_init(&all_in, NULL, (unsigned int)(nthreads + user_lock));
	for (int i = 0; i < nthreads; i++) {
		forkers[i].id = i;
		forkers[i].status = -1;
		atomic_store(&forkers[i].released, 0);
		percpu_ref_init(&forkers[i].ref, on_release, 0);
		if (held)
			percpu_ref_get_many(&forkers[i].ref, (unsigned long)held);
	}
	atomic_store(&victim_released, 0);
	percpu_ref_init(&victim_ref, victim_release, 0);
	if (held)
		percpu_ref_get_many(&victim_ref, (unsigned long)held);
	if (user_lock)
		pthread_create(&victim, NULL, victim_main, NULL);
	for (int i = 0; i < nthreads; i++)
		pthread_create(&forkers[i].thread, NULL, forker_main, &forkers[i]);
	for (int i = 0; i < nthreads; i++)
		pthread_join(forkers[i].thread, NULL);
	if (user_lock)
		pthread_join(victim, NULL);
	alarm(0);

	for (int i = 0; i < nthreads; i++) {
		struct forker *f = &forkers[i];

		if (WIFEXITED(f->status) && WEXITSTATUS(f->status) == 0)
			fine++;
		else if (WIFSIGNALED(f->status))
			diag("%s: forker %d's child died of signal %d", case_name, i,
			     WTERMSIG(f->status));
		else
			diag("%s: forker %d's child: status %#x", case_name, i,
			     (unsigned int)f->status);
		if (kind == CONFIRM_SWITCH || kind == WARN)
			percpu_ref_kill(&f->ref);
		if (held)
			percpu_ref_put_many(&f->ref, (unsigned long)held);
		parent_fine += atomic_load(&f->released) == 1;
		percpu_ref_exit(&f->ref);
	}
	if (kind != RELEASE || !user_lock)	/* else killed by the victim */
		percpu_ref_kill(&victim_ref);
	if (held)
		percpu_ref_put_many(&victim_ref, (unsigned long)held);
	parent_fine += atomic_load(&victim_released) == 1;
	percpu_ref_exit(&victim_ref);
	pthread_barrier_destroy(&all_in);
	if (fine != nthreads || parent_fine != nthreads + 1)
		diag("%s: %d of %d children fine, %d of %d parent refs released once",
		     case_name, fine, nthreads, parent_fine, nthreads + 1);
	return fine == nthreads && parent_fine == nthreads + 1;
}

/* ---- fork from a signal handler inside libkref ------------------------- */

static struct percpu_ref sig_ref, sig_other;
static volatile sig_atomic_t sig_forked;	/* 1 in the parent, 2 in the child */
static volatile pid_t sig_child;
static atomic_bool hook_armed;

static void fork_in_handler(int sig)
{
	pid_t pid;

	(void)sig;
	pid = fork();
	if (pid == 0) {
		sig_forked = 2;
		return;		/* the child's thread ends the interrupted section */
	}
	sig_child = pid;
	sig_forked = 1;
}

static struct percpu_ref v_ref, l_ref;
static atomic_bool list_hook_armed;

/* Holding switch_lock, mid-switch or mid-change of the finishing list:
 * the signal arrives here. */
static void hook(struct percpu_ref *r, enum kref_internal_hook_point point)
{
	if ((r == &sig_ref && point == KREF_INTERNAL_HOOK_SWITCH_FLAGGED &&
	     atomic_exchange(&hook_armed, false)) ||
	    (r == &l_ref && point == KREF_INTERNAL_HOOK_LIST_CHANGE &&
	     atomic_exchange(&list_hook_armed, false)))
		raise(SIGUSR1);
}

static atomic_int sig_released;

static void sig_release(struct percpu_ref *r)
{
	(void)r;
	atomic_fetch_add(&sig_released, 1);
}

static int wait_child(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return status;
}

/* Another thread, held in its confirmation: its switch is on the list,
 * keeping a reference. */
static sem_t v_in, v_go;
static atomic_int v_released, l_released;

static void v_release(struct percpu_ref *r)
{
	atomic_fetch_add(r == &v_ref ? &v_released : &l_released, 1);
}

static void v_confirm(struct percpu_ref *r)
{
	(void)r;
	sem_post(&v_in);
	while (sem_wait(&v_go) != 0)
		;
}

static void *v_main(void *arg)
{
	(void)arg;
	percpu_ref_switch_to_atomic(&v_ref, v_confirm);
	return NULL;
}

static void nothing(struct percpu_ref *r)
{
	(void)r;
}

/* In the child: the section the handler interrupted has ended. */
static void sig_child_checks(bool in_switch)
{
	alarm(WATCHDOG);
	if (in_switch) {
		check(percpu_ref_is_dying(&sig_ref), "the interrupted kill ended", 0);
		check(count_of(&sig_ref) == HELD, "its count is exact", 0);
		percpu_ref_put_many(&sig_ref, HELD);
		check(atomic_load(&sig_released) == 1, "released once", 0);
	}
	percpu_ref_switch_to_atomic_sync(&sig_other);	/* the lock is free */
	percpu_ref_kill(&sig_other);
	child_new_ref();
	child_exit(child_failures ? 1 : 0);
}

static void test_signal(void)
{
	struct sigaction sa;
	int status;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fork_in_handler;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	snprintf(case_name, sizeof(case_name), "fork from a signal handler");

	/* In the switch lock (per-CPU mode: the hook is in the switch). */
	if (percpu_mode()) {
		alarm(WATCHDOG);
		sig_forked = 0;
		atomic_store(&sig_released, 0);
		percpu_ref_init(&sig_ref, sig_release, 0);
		percpu_ref_init(&sig_other, sig_release, 0);
		percpu_ref_get_many(&sig_ref, HELD);
		atomic_store(&hook_armed, true);
		fflush(stdout);	/* the child must not print it again */
		percpu_ref_kill(&sig_ref);
		if (sig_forked == 2)
			sig_child_checks(true);
		status = sig_forked == 1 ? wait_child(sig_child) : -1;
		alarm(0);
		ok(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		   "fork from a signal handler that interrupted a kill holding "
		   "the switch lock: no wait for itself; the child ends the kill "
		   "and uses libkref");
		percpu_ref_put_many(&sig_ref, HELD);
		percpu_ref_kill(&sig_other);
		is(atomic_load(&sig_released), 2, "the parent's refs: released once each");
		percpu_ref_exit(&sig_ref);
		percpu_ref_exit(&sig_other);
	} else {
		ok(1, "# SKIP per-CPU mode off: no hook inside a switch");
		ok(1, "# SKIP per-CPU mode off: no hook inside a switch");
	}

	/*
	 * In the middle of a change of the finishing list, while another
	 * thread's switch is on it: the child must leave the list alone until
	 * the change ends, then drop that switch's kept reference (dropped at
	 * once, the interrupted change puts the other thread's record back,
	 * and the child's kill of its ref waits for ever).
	 */
	alarm(WATCHDOG);
	sig_forked = 0;
	atomic_store(&v_released, 0);
	atomic_store(&l_released, 0);
	sem_init(&v_in, 0, 0);
	sem_init(&v_go, 0, 0);
	percpu_ref_init(&v_ref, v_release, 0);
	percpu_ref_init(&l_ref, v_release, 0);
	percpu_ref_init(&sig_other, sig_release, 0);
	percpu_ref_get_many(&v_ref, HELD);
	percpu_ref_get_many(&l_ref, HELD);
	{
		pthread_t v;

		pthread_create(&v, NULL, v_main, NULL);
		while (sem_wait(&v_in) != 0)
			;
		atomic_store(&list_hook_armed, true);
		fflush(stdout);
		percpu_ref_switch_to_atomic(&l_ref, nothing);
		if (sig_forked == 2) {
			alarm(WATCHDOG);
			check(count_of(&v_ref) == HELD + 1, "the other thread's switch: "
			      "its kept reference dropped once the change ended", 1);
			percpu_ref_kill(&v_ref);	/* waits for no confirmation */
			percpu_ref_put_many(&v_ref, HELD);
			check(atomic_load(&v_released) == 1, "and released once", 1);
			check(count_of(&l_ref) == HELD + 1, "our own switch: ended here", 2);
			sig_child_checks(false);
		}
		status = sig_forked == 1 ? wait_child(sig_child) : -1;
		sem_post(&v_go);
		pthread_join(v, NULL);
	}
	alarm(0);
	ok(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	   "fork from a signal handler that interrupted a change of the "
	   "finishing list while another thread confirms: the child drops that "
	   "switch once the change is over, and uses libkref");
	percpu_ref_kill(&v_ref);
	percpu_ref_put_many(&v_ref, HELD);
	percpu_ref_kill(&l_ref);
	percpu_ref_put_many(&l_ref, HELD);
	is(atomic_load(&v_released) + atomic_load(&l_released), 2,
	   "the parent's refs: released once each");
	percpu_ref_exit(&v_ref);
	percpu_ref_exit(&l_ref);
	percpu_ref_kill(&sig_other);
	percpu_ref_exit(&sig_other);

	/* In the allocator's lock: as if the signal came inside init. */
	alarm(WATCHDOG);
	sig_forked = 0;
	percpu_ref_init(&sig_other, sig_release, 0);
	fflush(stdout);
	kref_percpu_alloc_lock();
	raise(SIGUSR1);
	kref_percpu_alloc_unlock();
	if (sig_forked == 2)
		sig_child_checks(false);
	status = sig_forked == 1 ? wait_child(sig_child) : -1;
	alarm(0);
	ok(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	   "fork from a signal handler that interrupted the allocator's "
	   "critical section: no wait for itself; the child uses libkref");
	percpu_ref_kill(&sig_other);
	percpu_ref_exit(&sig_other);
	signal(SIGUSR1, SIG_DFL);
}

/* With an argument N, only case N (a test number; 25 and on are the
 * signal handler's), to see one case hang on the code before the fix. */
int main(int argc, char **argv)
{
	static const int threads[] = { 1, 2, MAXT };
	int only = argc > 1 ? atoi(argv[1]) : 0, n = 0;

	parent_pid = getpid();
	signal(SIGALRM, watchdog);
	kref_internal_percpu_hook = hook;
	for (int i = 0; i < MAXT; i++)
		pthread_mutex_init(&locks[i], NULL);
	if (percpu_mode())
		diag("per-CPU mode available");
	else
		diag("per-CPU mode off: every ref atomic");
	refcount_set_warn_handler(forker_warn);

	for (int k = 0; k < KINDS; k++)
		for (int lock = 0; lock < 2; lock++)
			for (size_t t = 0; t < sizeof(threads) / sizeof(threads[0]); t++) {
				kind = (enum kind)k;
				user_lock = lock;
				nthreads = threads[t];
				if (only && ++n != only)
					continue;
				ok(run_case(), "%s: fork completes in parent and child; "
				   "counts exact", case_name);
			}
	if (!only || only > n)
		test_signal();
	return done_testing();
}
