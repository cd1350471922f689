/* SPDX-License-Identifier: MIT */
/*
 * test_debug_fork_callbacks.c - debug mode never waits for the program,
 * nor for itself: a warn handler (the program's code that an operation
 * runs) is run with no lock of debug mode held, so it can fork, take the
 * program's locks and run kref operations on any object; a signal handler
 * that interrupted an operation holding its stripe's lock can run kref
 * operations, and fork.  Each child runs kref operations on the objects
 * it inherited and on its own, and exits; an alarm() makes a hang a
 * failure.
 *
 * MANY objects: some share any given object's stripe (32 stripes: all
 * miss one with probability (31/32)^512, under 1e-7).
 *
 * Build: -Wl,--wrap=kref_report_write
 */
#include <semaphore.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include <kref.h>
#include "tap.h"
#include "../../src/internal.h"

/* ThreadSanitizer makes a process that had threads sleep at exit. */
const char *__tsan_default_options(void);
const char *__tsan_default_options(void)
{
	return "atexit_sleep_ms=0";
}

static struct kref hot;		/* at REFCOUNT_MAX: a get saturates, the handler runs */
static struct kref other;	/* another object, for the children */
#define MANY 512
static struct kref many[MANY];
static pthread_mutex_t program_lock = PTHREAD_MUTEX_INITIALIZER;
static sem_t in_handler, forked;
static void (*in_warn)(void);	/* what the warn handler does */

static void keep(struct kref *k)
{
	(void)k;
}

static atomic_int handled;	/* warn handler calls */

static void handler(refcount_t *r, enum refcount_saturation_type t)
{
	(void)r;
	(void)t;
	atomic_fetch_add(&handled, 1);
	if (in_warn)
		in_warn();
}

/* Each of many[] made, got and put twice: true if each put did its part. */
static bool run_many(void)
{
	bool right = true;

	for (int i = 0; i < MANY; i++) {
		kref_init(&many[i]);
		kref_get(&many[i]);
		right &= !kref_put(&many[i], keep);
		right &= kref_put(&many[i], keep) == 1;
	}
	return right;
}

/* The child: operations on inherited objects and on a new one. */
static void child_runs(void)
{
	struct kref mine;

	alarm(10);
	if (!run_many())
		_exit(4);
	kref_get(&other);
	kref_put(&other, keep);
	kref_init(&mine);
	kref_get(&mine);
	kref_put(&mine, keep);
	_exit(kref_put(&mine, keep) ? 0 : 3);
}

/* Forks here; true if the child ran and exited 0. */
static bool fork_and_check(void)
{
	pid_t pid = fork();
	int status;

	if (pid == 0)
		child_runs();
	return pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	       WEXITSTATUS(status) == 0;
}

static void saturate_hot(void)
{
	refcount_set(&hot.refcount, REFCOUNT_MAX);
	kref_get(&hot);		/* saturates: the warn handler runs */
}

/* 1. fork from the warn handler itself. */
static atomic_bool ok_from_handler;
static void fork_in_handler(void)
{
	atomic_store(&ok_from_handler, fork_and_check());
}

/* 2. another thread's warn handler waits for a lock the forking thread
 * holds across fork(). */
static void wait_program_lock(void)
{
	sem_post(&in_handler);
	pthread_mutex_lock(&program_lock);
	pthread_mutex_unlock(&program_lock);
}

static void *saturating_thread(void *arg)
{
	(void)arg;
	saturate_hot();
	return NULL;
}

/* 3. a warn handler runs kref operations on any object: tracked. */
static atomic_bool many_right;
static void run_many_in_handler(void)
{
	atomic_store(&many_right, run_many());
}

/* 4. a signal handler that interrupted an operation holding its stripe's
 * lock (a double put, while it writes its report: the test links with
 * --wrap=kref_report_write) runs kref operations, and forks. */
static struct kref victim;
static atomic_bool arm_signal, ran_in_signal, ok_from_signal;

void __real_kref_report_write(const char *text, int len);
void __wrap_kref_report_write(const char *text, int len);
void __wrap_kref_report_write(const char *text, int len)
{
	if (atomic_exchange(&arm_signal, false))
		raise(SIGUSR1);
	__real_kref_report_write(text, len);
}

static atomic_int handled_in_signal = -1;

/* Also saturates hot: the warn handler must wait for the interrupted
 * operation to let go of its stripe, not run inside it. */
static void on_signal(int sig)
{
	int before = atomic_load(&handled);

	(void)sig;
	atomic_store(&ran_in_signal, run_many());
	atomic_store(&ok_from_signal, fork_and_check());
	saturate_hot();
	atomic_store(&handled_in_signal, atomic_load(&handled) - before);
}

int main(void)
{
	pthread_t t;
	bool forked_ok;
	int handled_before;

	alarm(60);
	sem_init(&in_handler, 0, 0);
	sem_init(&forked, 0, 0);
	refcount_set_warn_handler(handler);
	kref_init(&hot);
	kref_init(&other);

	in_warn = fork_in_handler;
	saturate_hot();
	ok(atomic_load(&ok_from_handler),
	   "fork() from a warn handler: the child runs kref operations on "
	   "inherited objects and its own, and exits");

	in_warn = wait_program_lock;
	pthread_mutex_lock(&program_lock);
	pthread_create(&t, NULL, saturating_thread, NULL);
	sem_wait(&in_handler);		/* it is in its handler, waits for us */
	forked_ok = fork_and_check();
	pthread_mutex_unlock(&program_lock);
	pthread_join(t, NULL);
	ok(forked_ok, "fork() holding a lock that another thread's warn handler "
	   "waits for: completes, the child too");

	struct kref_debug_table_stats_ before, after;

	kref_debug_table_stats_(&before);
	in_warn = run_many_in_handler;
	saturate_hot();
	kref_debug_table_stats_(&after);
	ok(atomic_load(&many_right) && after.records >= before.records + MANY,
	   "a warn handler runs kref operations on %d objects, some in the "
	   "saturated object's stripe: they complete, and are tracked", MANY);

	in_warn = NULL;
	signal(SIGUSR1, on_signal);
	kref_init(&victim);
	kref_put(&victim, keep);
	atomic_store(&arm_signal, true);
	handled_before = atomic_load(&handled);
	kref_put(&victim, keep);	/* reported: the signal comes in that */
	ok(atomic_load(&handled_in_signal) == 0 &&
	   atomic_load(&handled) - handled_before == 1,
	   "a saturation in that signal handler runs the warn handler once, "
	   "after the interrupted operation lets go (%d in the signal handler, "
	   "%d in all)", atomic_load(&handled_in_signal),
	   atomic_load(&handled) - handled_before);
	ok(!atomic_load(&arm_signal) && atomic_load(&ran_in_signal),
	   "a signal handler that interrupted an operation holding its stripe "
	   "lock runs kref operations on %d objects, some in that stripe", MANY);
	ok(atomic_load(&ok_from_signal),
	   "fork() in a signal handler that interrupted an operation holding "
	   "its stripe lock: completes, the child too");

	refcount_set(&hot.refcount, 1);
	kref_put(&hot, keep);
	kref_put(&other, keep);
	ok(kref_debug_report_leaks() == 0, "the parent's objects are released");
	return done_testing();
}
