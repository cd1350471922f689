/* SPDX-License-Identifier: MIT */
/*
 * test_percpu_signal.c - signal handlers that get and put a percpu_ref.
 *
 * The fast path is a restartable sequence: a signal that lands inside it
 * aborts it, and the handler may then run its own sequences on the same
 * CPU's counter before the interrupted one starts over.  Each worker arms
 * a timer that signals the worker itself every few microseconds, and
 * raises a second signal at itself every few iterations, while it gets
 * and puts; the handlers get, tryget and put too (one may interrupt the
 * other).  Meanwhile the main thread switches the ref between modes, so
 * handlers run on both paths.  At the end the count must be exactly the
 * owner's one reference, and the kill must release, once.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include <kref.h>
#include "percpu_mode.h"
#include "tap.h"

#ifndef sigev_notify_thread_id
#define sigev_notify_thread_id _sigev_un._tid
#endif

#define WORKERS		2
#define ITERATIONS	300000
#define RAISE_EVERY	64
#define SWITCHES	100

static struct percpu_ref ref;
static atomic_long handled, timers_armed;
static atomic_int releases, workers_done;

static void on_release(struct percpu_ref *r)
{
	(void)r;
	atomic_fetch_add(&releases, 1);
}

/* Async-signal-safe: the ref's fast and atomic paths, and atomics. */
static void handler(int sig)
{
	(void)sig;
	percpu_ref_get(&ref);		/* our thread holds a reference */
	if (percpu_ref_tryget(&ref))
		percpu_ref_put(&ref);
	percpu_ref_get_many(&ref, 2);
	percpu_ref_put_many(&ref, 3);
	atomic_fetch_add_explicit(&handled, 1, memory_order_relaxed);
}

static void *worker(void *arg)
{
	struct sigevent sev = { .sigev_notify = SIGEV_THREAD_ID,
				.sigev_signo = SIGUSR1 };
	struct itimerspec every = { .it_interval = { 0, 20000 },
				    .it_value = { 0, 20000 } };
	pthread_t self = pthread_self();
	sigset_t both;
	timer_t timer;
	bool armed;

	(void)arg;
	sev.sigev_notify_thread_id = (pid_t)syscall(SYS_gettid);
	armed = timer_create(CLOCK_MONOTONIC, &sev, &timer) == 0 &&
		timer_settime(timer, 0, &every, NULL) == 0;
	atomic_fetch_add(&timers_armed, armed);
	for (long i = 0; i < ITERATIONS; i++) {
		percpu_ref_get(&ref);
		if (percpu_ref_tryget(&ref))
			percpu_ref_put(&ref);
		percpu_ref_get_many(&ref, 3);
		percpu_ref_put_many(&ref, 2);
		if (i % RAISE_EVERY == 0)
			pthread_kill(self, SIGUSR2);
		percpu_ref_put_many(&ref, 2);
	}
	if (armed)
		timer_delete(timer);
	/* No handler after our reference is gone: they use it. */
	sigemptyset(&both);
	sigaddset(&both, SIGUSR1);
	sigaddset(&both, SIGUSR2);
	pthread_sigmask(SIG_BLOCK, &both, NULL);
	percpu_ref_put(&ref);
	atomic_fetch_add(&workers_done, 1);
	return NULL;
}

int main(void)
{
	struct sigaction sa = { .sa_handler = handler, .sa_flags = SA_RESTART };
	pthread_t t[WORKERS];
	int switches = 0;

	diag("per-CPU mode %savailable", percpu_mode() ? "" : "NOT ");
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGUSR2, &sa, NULL);
	percpu_ref_init(&ref, on_release, PERCPU_REF_ALLOW_REINIT);
	for (int i = 0; i < WORKERS; i++) {
		percpu_ref_get(&ref);	/* the worker's, before the handoff */
		pthread_create(&t[i], NULL, worker, NULL);
	}
	while (atomic_load(&workers_done) < WORKERS || switches < 2 * SWITCHES) {
		if (switches < 2 * SWITCHES) {
			percpu_ref_switch_to_atomic_sync(&ref);
			percpu_ref_switch_to_percpu(&ref);
			switches += 2;
		} else {
			sched_yield();
		}
	}
	for (int i = 0; i < WORKERS; i++)
		pthread_join(t[i], NULL);

	diag("%ld handlers ran (%ld timers armed), %d mode switches",
	     atomic_load(&handled), atomic_load(&timers_armed), switches);
	ok(atomic_load(&handled) >= WORKERS * ITERATIONS / RAISE_EVERY,
	   "handlers got and put the ref while %d threads did", WORKERS);
	percpu_ref_switch_to_atomic_sync(&ref);
	is(atomic_load(&ref.data->count), 1,
	   "the count is exactly the owner's reference: every get was put");
	is(atomic_load(&releases), 0, "  and nothing was released");
	percpu_ref_kill(&ref);
	is(atomic_load(&releases), 1, "the kill released, once");
	percpu_ref_exit(&ref);
	return done_testing();
}
