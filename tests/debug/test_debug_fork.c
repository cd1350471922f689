/* SPDX-License-Identifier: MIT */
/*
 * test_debug_fork.c - fork() in debug mode while another thread is inside
 * a kref operation, holding its stripe's lock: the child must not inherit
 * that lock held by a thread that does not exist there.  The worker parks
 * in the report of a double put, which is written under the stripe lock
 * (kref_report_write, wrapped).  Debug mode's fork waits for no lock (the
 * child drops the stripes other threads held); had it taken them,
 * pthread_mutex_lock, wrapped, lets the worker go on when the forking
 * thread finds a lock taken.  A child that hangs is killed by its alarm().
 *
 * Build: -Wl,--wrap=pthread_mutex_lock -Wl,--wrap=kref_report_write
 */
#include <errno.h>
#include <semaphore.h>
#include <signal.h>
#include <kref.h>
#include "child.h"
#include "tap.h"

#define FORKS	100

/* ThreadSanitizer makes a process that had threads sleep a second at exit,
 * its children too. */
const char *__tsan_default_options(void);
const char *__tsan_default_options(void)
{
	return "atexit_sleep_ms=0";
}

int __real_pthread_mutex_lock(pthread_mutex_t *m);
int __wrap_pthread_mutex_lock(pthread_mutex_t *m);
void __real_kref_report_write(const char *text, int len);
void __wrap_kref_report_write(const char *text, int len);

static pthread_t main_thread;
static sem_t parked, go, forked;
static atomic_int holding;	/* the worker is parked, holding its stripe lock */
static atomic_int park_next;	/* the next report parks */
static atomic_int events;	/* warn handler calls */

int __wrap_pthread_mutex_lock(pthread_mutex_t *m)
{
	if (atomic_load(&holding) && pthread_equal(pthread_self(), main_thread)) {
		int err = pthread_mutex_trylock(m);

		if (err != EBUSY)
			return err;
		atomic_store(&holding, 0);
		sem_post(&go);
	}
	return __real_pthread_mutex_lock(m);
}

void __wrap_kref_report_write(const char *text, int len)
{
	if (atomic_exchange(&park_next, 0)) {
		atomic_store(&holding, 1);
		sem_post(&parked);
		sem_wait(&go);
	}
	__real_kref_report_write(text, len);
}

static void counting_handler(refcount_t *r, enum refcount_saturation_type t)
{
	(void)r;
	(void)t;
	atomic_fetch_add(&events, 1);
}

static void never_release(struct kref *ref)
{
	(void)ref;
	abort();
}

static void keep_release(struct kref *ref)
{
	(void)ref;
}

static struct kref hot;		/* the worker's: released, its put is a double put */
static struct kref shared;	/* held by the parent */
static struct kref mine, other;	/* the child's */

/* Waits for the fork to end before it exits: the sanitizers' runtimes do
 * not all make a thread's exit safe to fork across. */
static void *worker(void *arg)
{
	(void)arg;
	kref_put(&hot, keep_release);
	sem_wait(&forked);
	return NULL;
}

static int child(void)
{
	alarm(5);	/* a hang becomes SIGALRM */
	kref_get(&hot);	/* the worker's stripe, dropped: untracked, at 0 */
	kref_get(&shared);
	kref_put(&shared, never_release);
	kref_init(&mine); MARK("child init");
	kref_get(&mine);
	kref_put(&mine, keep_release);	/* one reference left: a leak */
	kref_init(&other);
	kref_get(&other);
	kref_put(&other, keep_release);
	kref_put(&other, keep_release);
	fprintf(stderr, "child: events=%d leaks=%lu\n", atomic_load(&events),
		kref_debug_report_leaks());
	return 0;	/* exit(): the leak report leaves out what was reported */
}

static int occurrences(const char *s)
{
	int n = 0;

	for (const char *p = output; (p = strstr(p, s)); p += strlen(s))
		n++;
	return n;
}

/* What is wrong with the child's exit, or NULL. */
static const char *exit_problem(int status)
{
	if (!WIFEXITED(status))
		return WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM ?
		       "the child hung" : "the child did not exit";
	if (WEXITSTATUS(status) != 0)
		return "the child failed";
	return NULL;
}

/* What is wrong with the child's output, or NULL.  Its leak report (the
 * explicit one; the one at exit adds nothing) lists its own object, not
 * those it inherited. */
static const char *output_problem(void)
{
	if (!strstr(output, "child: events=1 leaks=1\n"))
		return "the child's counts are wrong";
	if (count_lines("kref: 1 object still referenced") != 1 ||
	    occurrences("kref: leak: object ") != 1 ||
	    !says("initialised at ", marked("child init")))
		return "the child's leak reports are wrong";
	return NULL;
}

int main(void)
{
	const char *bad_exit = NULL, *bad_output = NULL;
	int forks = 0;

	main_thread = pthread_self();
	sem_init(&parked, 0, 0);
	sem_init(&go, 0, 0);
	sem_init(&forked, 0, 0);
	refcount_set_warn_handler(counting_handler);
	kref_init(&shared);
	while (forks < FORKS && !bad_exit && !bad_output) {
		pthread_t t;
		int status;

		atomic_store(&events, 0);
		kref_init(&hot);
		kref_put(&hot, keep_release);
		atomic_store(&park_next, 1);
		pthread_create(&t, NULL, worker, NULL);
		sem_wait(&parked);
		status = run_child(child, NULL);
		forks++;
		if (atomic_exchange(&holding, 0))	/* fork did not wait */
			sem_post(&go);
		sem_post(&forked);
		pthread_join(t, NULL);
		bad_exit = exit_problem(status);
		bad_output = bad_exit ? NULL : output_problem();
	}
	ok(!bad_exit, "%d forks while another thread held a stripe lock: each "
	   "child ran kref operations and exited", forks);
	ok(!bad_exit && !bad_output, "  its leak reports list its own object, "
	   "not those it inherited");
	if (bad_exit || bad_output)
		diag("fork %d: %s; its output:\n%s", forks,
		     bad_exit ? bad_exit : bad_output, output);

	kref_put(&shared, keep_release);
	ok(kref_debug_report_leaks() == 0, "the parent's objects are released");
	return done_testing();
}
