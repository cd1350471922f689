/* SPDX-License-Identifier: MIT */
/*
 * test_stress_percpu_fork.c - fork() from the program's callbacks, at
 * random (libkref issue 19; test_percpu_fork_callbacks has each case
 * deterministically).
 *
 * THREADS threads each own REFS refs, and go on switching them between
 * modes with a confirmation, killing them with one (the kill's last put
 * runs release() on the same thread) and reinitialising them, with gets
 * and puts between.  Each confirmation and release() draws what to do: take
 * one of the program's LOCKS and fork while holding it, fork holding none,
 * or take a lock and let it go (which waits for a fork that holds it).
 * Every child, forked with other threads anywhere in their calls or
 * callbacks, switches every ref to atomic mode (none may wait for a
 * confirmation that no thread will end there), asks each whether it is
 * zero, uses a ref of its own, and exits 0.
 *
 * Checked: no fork, in parent or child, waits for ever (alarm(), whose
 * handler says so); every child exits 0; every kill releases its ref
 * exactly once.  Unset, KREF_STRESS_SCALE gives make check's short run;
 * make stress sets it to N for N times OPS_PER_SCALE operations a thread.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
#include <kref.h>
#include "percpu_mode.h"
#include "tap.h"

#define THREADS		4
#define REFS		4
#define LOCKS		3
#define OPS		300	/* a thread's, in make check */
#define OPS_PER_SCALE	3000	/* and per unit of KREF_STRESS_SCALE */
#define WATCHDOG	60	/* seconds without a fork's end: a hang */

static struct ref {
	struct percpu_ref ref;
	atomic_long kills, releases;
} refs[THREADS][REFS];

static pthread_mutex_t locks[LOCKS];
static pid_t parent_pid;
static atomic_long forks, bad_children, waited;
static atomic_bool ending;	/* the refs are being exited: callbacks idle */
static _Thread_local unsigned int seed;

static unsigned int next_random(void)
{
	seed ^= seed << 13;
	seed ^= seed >> 17;
	seed ^= seed << 5;
	return seed;
}

static void watchdog(int sig)
{
	static const char parent[] = "# parent: a fork hung (watchdog)\n";
	static const char child[] = "# child: hung (watchdog)\n";
	bool in_parent = getpid() == parent_pid;

	(void)sig;
	if (write(STDOUT_FILENO, in_parent ? parent : child,
		  in_parent ? sizeof(parent) - 1 : sizeof(child) - 1) < 0)
		_exit(3);
	_exit(2);
}

static atomic_int own_released;

static void own_release(struct percpu_ref *r)
{
	(void)r;
	atomic_fetch_add(&own_released, 1);
}

/* The child: every lock libkref has is free, every ref usable. */
static void child(void)
{
	struct percpu_ref r;
	int fails = 0;

	alarm(WATCHDOG);
	for (int t = 0; t < THREADS; t++)
		for (int i = 0; i < REFS; i++) {
			percpu_ref_switch_to_atomic_sync(&refs[t][i].ref);
			(void)percpu_ref_is_zero(&refs[t][i].ref);
		}
	fails += percpu_ref_init(&r, own_release, 0) != 0;
	percpu_ref_get(&r);
	percpu_ref_kill(&r);
	percpu_ref_put(&r);
	fails += atomic_load(&own_released) != 1;
	percpu_ref_exit(&r);
	fflush(NULL);
	_exit(fails ? 1 : 0);
}

static void do_fork(void)
{
	int status;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0)
		child();
	if (pid < 0)
		return;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	atomic_fetch_add(&forks, 1);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		if (atomic_fetch_add(&bad_children, 1) < 3)
			diag("a child's wait status: %#x", (unsigned int)status);
	}
	alarm(WATCHDOG);	/* a fork ended: the clock starts again */
}

/* In a confirmation or a release(): what the program might do there. */
static void callback(void)
{
	pthread_mutex_t *l = &locks[next_random() % LOCKS];

	if (atomic_load(&ending))
		return;
	switch (next_random() % 8) {
	case 0:		/* fork holding a lock another callback may want */
		pthread_mutex_lock(l);
		do_fork();
		pthread_mutex_unlock(l);
		break;
	case 1:
		do_fork();
		break;
	case 2:
	case 3:		/* wait for whoever holds it, maybe across a fork */
		pthread_mutex_lock(l);
		pthread_mutex_unlock(l);
		atomic_fetch_add(&waited, 1);
		break;
	default:
		break;
	}
}

static void confirm(struct percpu_ref *r)
{
	(void)r;
	callback();
}

static void on_release(struct percpu_ref *r)
{
	struct ref *ref = (struct ref *)((char *)r - offsetof(struct ref, ref));

	atomic_fetch_add(&ref->releases, 1);
	callback();
}

static void *thread_main(void *arg)
{
	struct ref *mine = refs[(size_t)arg];
	const char *s = getenv("KREF_STRESS_SCALE");
	long ops = s && atol(s) > 0 ? OPS_PER_SCALE * atol(s) : OPS;
	seed = 2463534242U + 7919U * (unsigned int)(size_t)arg;
	for (long n = 0; n < ops; n++) {
		struct ref *r = &mine[next_random() % REFS];

		switch (next_random() % 4) {
		case 0:
			percpu_ref_switch_to_atomic(&r->ref, confirm);
			break;
		case 1:
			percpu_ref_switch_to_percpu(&r->ref);
			break;
		case 2:	/* only the initial reference: the kill releases */
			atomic_fetch_add(&r->kills, 1);
			percpu_ref_kill_and_confirm(&r->ref, confirm);
			percpu_ref_reinit(&r->ref);
			break;
		default:
			percpu_ref_get(&r->ref);
			if (percpu_ref_tryget(&r->ref))
				percpu_ref_put(&r->ref);
			percpu_ref_put(&r->ref);
		}
	}
	return NULL;
}

int main(void)
{
	pthread_t threads[THREADS];
	long kills = 0, releases = 0, once = 0;

	parent_pid = getpid();
	signal(SIGALRM, watchdog);
	diag("per-CPU mode %s", percpu_mode() ? "available" : "off");
	for (int i = 0; i < LOCKS; i++)
		pthread_mutex_init(&locks[i], NULL);
	for (int t = 0; t < THREADS; t++)
		for (int i = 0; i < REFS; i++)
			percpu_ref_init(&refs[t][i].ref, on_release,
					PERCPU_REF_ALLOW_REINIT);
	alarm(WATCHDOG);
	for (int t = 0; t < THREADS; t++)
		pthread_create(&threads[t], NULL, thread_main, (void *)(size_t)t);
	for (int t = 0; t < THREADS; t++)
		pthread_join(threads[t], NULL);
	alarm(0);

	atomic_store(&ending, true);
	for (int t = 0; t < THREADS; t++)
		for (int i = 0; i < REFS; i++) {
			struct ref *r = &refs[t][i];

			kills += atomic_load(&r->kills);
			releases += atomic_load(&r->releases);
			once += atomic_load(&r->kills) == atomic_load(&r->releases);
			percpu_ref_kill(&r->ref);
			percpu_ref_exit(&r->ref);
		}
	diag("%ld forks from callbacks, %ld callbacks waited for a lock, "
	     "%ld kills", atomic_load(&forks), atomic_load(&waited), kills);
	ok(atomic_load(&forks) > 0, "threads forked from their callbacks "
	   "(%ld times), and no fork waited for ever", atomic_load(&forks));
	is(atomic_load(&bad_children), 0, "every child used every ref and "
	   "exited 0");
	is(once, THREADS * REFS, "every kill released its ref once "
	   "(%ld kills, %ld releases)", kills, releases);
	return done_testing();
}
