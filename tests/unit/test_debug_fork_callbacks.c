/* SPDX-License-Identifier: MIT */
/*
 * test_debug_fork_callbacks.c - fork() in debug mode never waits for the
 * program: not for a warn handler that a kref operation runs under its
 * stripe's lock, nor for a lock of the program such a handler waits for,
 * nor for the thread itself when a signal handler forks in the middle of
 * an operation.  Each child runs kref operations on the objects it
 * inherited and on its own, and exits; an alarm() makes a hang a failure.
 */
#include <semaphore.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include <kref.h>
#include "tap.h"

/* ThreadSanitizer makes a process that had threads sleep at exit. */
const char *__tsan_default_options(void);
const char *__tsan_default_options(void)
{
	return "atexit_sleep_ms=0";
}

static struct kref hot;		/* at REFCOUNT_MAX: a get saturates, the handler runs */
static struct kref other;	/* another object, for the children */
static pthread_mutex_t program_lock = PTHREAD_MUTEX_INITIALIZER;
static sem_t in_handler, forked;
static void (*in_warn)(void);	/* what the warn handler does */

static void keep(struct kref *k)
{
	(void)k;
}

static void handler(refcount_t *r, enum refcount_saturation_type t)
{
	(void)r;
	(void)t;
	if (in_warn)
		in_warn();
}

/* The child: operations on an inherited object and on a new one. */
static void child_runs(void)
{
	struct kref mine;

	alarm(10);
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

/* 1. fork from the warn handler itself, under its stripe's lock. */
static atomic_bool ok_from_handler;
static void fork_in_handler(void)
{
	atomic_store(&ok_from_handler, fork_and_check());
}

/* 2. another thread's warn handler, under a stripe lock, waits for a lock
 * the forking thread holds across fork(). */
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

/* 3. a signal handler that interrupted an operation (here: its warn
 * handler, under the stripe lock) forks. */
static atomic_bool ok_from_signal;
static void on_signal(int sig)
{
	(void)sig;
	atomic_store(&ok_from_signal, fork_and_check());
}

static void raise_signal(void)
{
	raise(SIGUSR1);
}

int main(void)
{
	pthread_t t;
	bool forked_ok;

	alarm(60);
	sem_init(&in_handler, 0, 0);
	sem_init(&forked, 0, 0);
	refcount_set_warn_handler(handler);
	kref_init(&hot);
	kref_init(&other);

	in_warn = fork_in_handler;
	saturate_hot();
	ok(atomic_load(&ok_from_handler),
	   "fork() from a warn handler that an operation runs under its stripe "
	   "lock: the child runs kref operations and exits");

	in_warn = wait_program_lock;
	pthread_mutex_lock(&program_lock);
	pthread_create(&t, NULL, saturating_thread, NULL);
	sem_wait(&in_handler);		/* it holds hot's stripe, waits for us */
	forked_ok = fork_and_check();
	pthread_mutex_unlock(&program_lock);
	pthread_join(t, NULL);
	ok(forked_ok, "fork() holding a lock that another thread's warn handler "
	   "waits for, under a stripe lock: completes, the child too");

	signal(SIGUSR1, on_signal);
	in_warn = raise_signal;
	saturate_hot();
	ok(atomic_load(&ok_from_signal),
	   "fork() in a signal handler that interrupted an operation holding "
	   "its stripe lock: completes, the child too");

	in_warn = NULL;
	refcount_set(&hot.refcount, 1);
	kref_put(&hot, keep);
	kref_put(&other, keep);
	ok(kref_debug_report_leaks() == 0, "the parent's objects are released");
	return done_testing();
}
