/* SPDX-License-Identifier: MIT */
/*
 * percpu.c - percpu_ref's slow paths: setting up, switching modes, killing.
 *
 * In per-CPU mode the atomic count holds PERCPU_COUNT_BIAS plus whatever
 * was added while a switch was under way, so it cannot reach 0 while the
 * per-CPU counters are still being used.  Switching to atomic mode sets
 * __PERCPU_REF_ATOMIC, then asks membarrier to restart every restartable
 * sequence in flight and to fence every CPU: after that no get or put adds
 * to a per-CPU counter, and everything they added is visible here.  The
 * sum of the counters then replaces the bias.  docs/percpu.md argues it;
 * tests/shell/percpu.pml is the model that spin checks.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <linux/membarrier.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <kref/percpu.h>
#include "internal.h"

#ifdef KREF_TEST_HOOKS
#include "test_hooks.h"
void (*kref_internal_percpu_hook)(struct percpu_ref *ref,
				  enum kref_internal_hook_point point);
#define TEST_HOOK(ref, point) \
	(kref_internal_percpu_hook ? kref_internal_percpu_hook(ref, point) : (void)0)
#else
#define TEST_HOOK(ref, point) ((void)0)
#endif

#define PERCPU_COUNT_BIAS	(1UL << (sizeof(long) * CHAR_BIT - 1))

/* Mode switches are rare: one lock for all, like the kernel's. */
static pthread_mutex_t switch_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t available_once = PTHREAD_ONCE_INIT;
static bool available;
static atomic_bool warned_kill, warned_resurrect, warned_reinit, warned_fence,
	warned_underflow, warned_no_reinit;

/* The kernel's reports name the ref by its release function (%ps). */
struct release_name {
	char s[256];
};

static const char *release_name(struct percpu_ref *ref, struct release_name *n)
{
	kref_report_symbol((const void *)(uintptr_t)ref->data->release, n->s,
			   sizeof(n->s));
	return n->s;
}

static void __attribute__((format(printf, 3, 4)))
report_once_fmt(atomic_bool *done, const void *from, const char *fmt, ...)
{
	char text[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	kref_report_once(done, text, from);
}

/*
 * A switch whose confirmation or puts run after switch_lock is dropped:
 * on a list, so that the ref's next switch waits for its confirmation (as
 * the kernel's do), and fork() for its puts.  The finishing thread itself
 * may switch the ref again from its confirmation.
 */
struct finishing {
	struct percpu_ref *ref;		/* NULL once the confirmation has run */
	pthread_t thread;
	struct finishing *next;
};

static struct finishing *finishing;	/* under switch_lock */
static pthread_cond_t finished = PTHREAD_COND_INITIALIZER;

/* With switch_lock held: whether another thread is finishing a switch of
 * @ref, or of any ref if @ref is NULL. */
static bool others_finishing(struct percpu_ref *ref)
{
	for (struct finishing *f = finishing; f; f = f->next)
		if ((!ref || f->ref == ref) && !pthread_equal(f->thread, pthread_self()))
			return true;
	return false;
}

/* Takes switch_lock for a switch of @ref. */
static void switch_lock_for(struct percpu_ref *ref)
{
	pthread_mutex_lock(&switch_lock);
	while (others_finishing(ref))
		pthread_cond_wait(&finished, &switch_lock);
}

/* Drops switch_lock, then confirms and puts @puts references: the
 * program's code (the confirmation, a release()), which may switch, kill
 * or exit another ref, or switch or kill this one (not exit it: the puts
 * that follow still use it). */
static void switch_unlock_and_finish(struct percpu_ref *ref,
				     percpu_ref_func_t *confirm,
				     unsigned long puts)
{
	struct finishing f = { ref, pthread_self(), finishing };

	if (!confirm && !puts) {
		pthread_mutex_unlock(&switch_lock);
		return;
	}
	finishing = &f;
	pthread_mutex_unlock(&switch_lock);
	if (confirm)
		confirm(ref);
	pthread_mutex_lock(&switch_lock);
	f.ref = NULL;
	pthread_cond_broadcast(&finished);
	pthread_mutex_unlock(&switch_lock);
	if (puts)
		percpu_ref_put_many(ref, puts);	/* may release */
	pthread_mutex_lock(&switch_lock);
	for (struct finishing **p = &finishing; *p; p = &(*p)->next)
		if (*p == &f) {
			*p = f.next;
			break;
		}
	pthread_cond_broadcast(&finished);
	pthread_mutex_unlock(&switch_lock);
}

/*
 * fork() while another thread is inside a switch would leave the child a
 * ref half switched, or a switch's reference that nobody puts, and
 * switch_lock held by a thread the child does not have.  So fork waits
 * for every other thread's switch to end, puts included, and the child
 * starts with the lock free and every ref in one mode.  What else the
 * child inherits needs nothing: membarrier's registration belongs to the
 * process's memory and fork copies it (only exec clears it); the forking
 * thread's rseq area is kept; glibc reruns in the child a pthread_once
 * that another thread had under way, so `available` is settled there too.
 */
static void fork_prepare(void)
{
	pthread_mutex_lock(&switch_lock);
	while (others_finishing(NULL))
		pthread_cond_wait(&finished, &switch_lock);
	kref_percpu_alloc_lock();	/* after: a switch may free counters */
}

static void fork_parent(void)
{
	kref_percpu_alloc_unlock();
	pthread_mutex_unlock(&switch_lock);
}

/* Threads that waited on the condition variable are not in the child. */
static void fork_child(void)
{
	pthread_cond_init(&finished, NULL);
	fork_parent();
}

/* At load, not on first use: a registration racing a fork could be run
 * twice in the child, which would then deadlock on its own next fork. */
__attribute__((constructor)) static void register_fork_handlers(void)
{
	pthread_atfork(fork_prepare, fork_parent, fork_child);
}

static long membarrier(int cmd)
{
	return syscall(__NR_membarrier, cmd, 0, 0);
}

/*
 * Restart every sequence in flight (it will see the flag), then fence every
 * CPU (what the committed ones added is visible here).  Neither can fail
 * once registered, unless something forbids the call later (a seccomp
 * filter): then going on could sum a counter that is still being added to
 * and release early, so we stop instead.
 */
static void restart_and_fence(void)
{
	if (membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ) == 0 &&
	    membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED) == 0)
		return;
	kref_report_once(&warned_fence, "percpu_ref: membarrier failed "
			 "during a switch to atomic mode; cannot go on safely",
			 __builtin_return_address(0));
	abort();
}

unsigned int percpu_ref_nr_cpus_;

#ifdef KREF_PERCPU_RSEQ
/* The CPUs that get a counter: the configured ones, unless overridden. */
static unsigned int nr_cpus(void)
{
	const char *env = getenv("KREF_PERCPU_CPUS");
	long n = sysconf(_SC_NPROCESSORS_CONF);

	if (env) {
		char *end;
		long v = strtol(env, &end, 10);

		if (*env && !*end && v >= 1 && v <= 4096)
			n = v;
		else
			fprintf(stderr, "libkref: KREF_PERCPU_CPUS=%s is not a "
				"number from 1 to 4096; counting the %ld "
				"configured CPUs\n", env, n);
	}
	return n < 1 ? 1 : n > 4096 ? 4096 : (unsigned int)n;
}
#endif

static void check_available(void)
{
	const char *env = getenv("KREF_PERCPU");

	if (env && strcmp(env, "0") == 0)
		return;
#ifdef KREF_PERCPU_RSEQ
	available = __rseq_size > 0 &&
		membarrier(MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ) == 0 &&
		membarrier(MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED) == 0;
	/* Before any ref has counters; pthread_once publishes it. */
	if (available)
		percpu_ref_nr_cpus_ = nr_cpus();
#endif
}

bool percpu_ref_percpu_available(void)
{
	pthread_once(&available_once, check_available);
	return available;
}

static unsigned long flags_of(struct percpu_ref *ref)
{
	return atomic_load_explicit(&ref->percpu_count_ptr, memory_order_relaxed) &
	       __PERCPU_REF_ATOMIC_DEAD;
}

/* CPU 0's counter; CPU c's is c units on (percpu.h). */
static unsigned long *counters_of(struct percpu_ref *ref)
{
	return (unsigned long *)(atomic_load_explicit(&ref->percpu_count_ptr,
						      memory_order_relaxed) &
				 ~__PERCPU_REF_ATOMIC_DEAD);
}

static unsigned long *counter(unsigned long *counters, unsigned int cpu)
{
	return (unsigned long *)((char *)counters +
				 ((size_t)cpu << KREF_PERCPU_UNIT_SHIFT_));
}

int percpu_ref_init(struct percpu_ref *ref, percpu_ref_func_t *release,
		    unsigned int flags)
{
	unsigned long p = 0, start = 0;
	struct percpu_ref_data *data = calloc(1, sizeof(*data));

	if (!data)
		return -ENOMEM;
	if (percpu_ref_percpu_available()) {
		p = (unsigned long)kref_percpu_alloc(&data->chunk);
		if (!p) {
			free(data);
			return -ENOMEM;
		}
	}
	/* As the kernel: a ref that starts atomic or dead may go per-CPU.
	 * Without per-CPU mode, refs start atomic, and the flag still says
	 * what the ref may do, so misuse is reported the same everywhere. */
	data->allow_reinit = flags & (PERCPU_REF_ALLOW_REINIT |
				      PERCPU_REF_INIT_ATOMIC | PERCPU_REF_INIT_DEAD);
	if (!p || (flags & (PERCPU_REF_INIT_ATOMIC | PERCPU_REF_INIT_DEAD)))
		p |= __PERCPU_REF_ATOMIC;
	else
		start = PERCPU_COUNT_BIAS;
	if (flags & PERCPU_REF_INIT_DEAD)
		p |= __PERCPU_REF_DEAD;
	else
		start++;
	atomic_init(&data->count, start);
	data->force_atomic = flags & PERCPU_REF_INIT_ATOMIC;
	data->release = release;
	ref->data = data;
	/* Relaxed: the ref is not shared yet; publishing it orders this. */
	atomic_store_explicit(&ref->percpu_count_ptr, p, memory_order_relaxed);
	return 0;
}

/* In atomic mode only, after the switch: no sequence adds to them. */
static void free_counters(struct percpu_ref *ref)
{
	kref_percpu_free(counters_of(ref), ref->data->chunk);
	/* Relaxed: in atomic mode the fast path never follows the pointer. */
	atomic_store_explicit(&ref->percpu_count_ptr, flags_of(ref),
			      memory_order_relaxed);
}

/*
 * The kernel's must not be called on a ref still in per-CPU mode.  Ours
 * may, and the slot goes back to the allocator for another ref's
 * counters: a get or put racing the exit (a bug: the ref is gone) must not
 * land in them, so the exit restarts every sequence in flight first, as
 * a switch does.  It still uses a ref that is gone, but it cannot change
 * another ref's count.  switch_lock only around the end: exit may be
 * called from release() or a confirmation (of another ref), and they run
 * without it.
 */
void percpu_ref_exit(struct percpu_ref *ref)
{
	struct percpu_ref_data *data = ref->data;
	unsigned long count;

	if (!data)
		return;
	if (!(flags_of(ref) & __PERCPU_REF_ATOMIC)) {
		/* seq_cst: the flag is set before the membarriers. */
		atomic_fetch_or(&ref->percpu_count_ptr, __PERCPU_REF_ATOMIC);
		restart_and_fence();
	}
	/* Under the lock, as the kernel's: percpu_ref_is_zero() may run. */
	pthread_mutex_lock(&switch_lock);
	if (counters_of(ref))
		free_counters(ref);
	count = atomic_load_explicit(&data->count, memory_order_relaxed);
	/* Keep the count for percpu_ref_is_zero(), as the kernel does. */
	atomic_store_explicit(&ref->percpu_count_ptr, __PERCPU_REF_ATOMIC_DEAD |
			      (count << __PERCPU_REF_FLAG_BITS),
			      memory_order_relaxed);
	ref->data = NULL;
	pthread_mutex_unlock(&switch_lock);
	free(data);
}

/*
 * Without PERCPU_REF_ALLOW_REINIT a ref in atomic mode never goes back, so
 * the kernel frees its per-CPU counters at the end of every switch to
 * atomic mode, and so do we.  The kernel also leaves the ref marked dead
 * then (a live ref's lookups fail, its first kill warns); we do not.
 */
static void percpu_done(struct percpu_ref *ref)
{
	if (ref->data->allow_reinit)
		return;
	ref->data->percpu_done = true;
	if (counters_of(ref))
		free_counters(ref);
}

/* A saturated atomic count: no number of puts brings it to 0. */
#define PERCPU_COUNT_SATURATED	(PERCPU_COUNT_BIAS >> 1)

/*
 * With switch_lock held; @from is the caller of the public call.  Takes a
 * reference of its own, so that nothing is released mid-switch, and says
 * so: the caller puts it after dropping the lock
 * (switch_unlock_and_finish()).
 */
static bool switch_to_atomic(struct percpu_ref *ref, const void *from)
{
	unsigned long sum = 0, count, *counters = counters_of(ref);

	if (flags_of(ref) & __PERCPU_REF_ATOMIC) {
		percpu_done(ref);
		return false;
	}
	percpu_ref_get(ref);
	/* seq_cst: the flag is set before the membarriers below. */
	atomic_fetch_or(&ref->percpu_count_ptr, __PERCPU_REF_ATOMIC);
	TEST_HOOK(ref, KREF_INTERNAL_HOOK_SWITCH_FLAGGED);
	restart_and_fence();
#ifdef KREF_TSAN
	__tsan_acquire(ref);
#endif
	kref_vg_happens_after(ref);
	for (unsigned int cpu = 0; cpu < percpu_ref_nr_cpus_; cpu++)
		sum += *counter(counters, cpu);
	/* Relaxed: the put that follows is the release; unsigned arithmetic
	 * wraps the sum and the bias into the true count. */
	count = atomic_fetch_add_explicit(&ref->data->count, sum - PERCPU_COUNT_BIAS,
					  memory_order_relaxed) + sum - PERCPU_COUNT_BIAS;
	/*
	 * Our own reference is in it: 0 or less means more puts than gets in
	 * per-CPU mode, so holders remain whom the count no longer covers.
	 * The kernel warns and goes on, and a later put may release the
	 * object under them; we saturate the count instead, so the object
	 * leaks.  Relaxed: the lock orders it against the other switches,
	 * and racing gets and puts only move it by their own amounts.
	 */
	if ((long)count <= 0) {
		struct release_name n;

		report_once_fmt(&warned_underflow, from, "percpu ref (%s) <= 0 "
				"(%ld) after switching to atomic",
				release_name(ref, &n), (long)count);
		atomic_fetch_add_explicit(&ref->data->count,
					  PERCPU_COUNT_SATURATED - count,
					  memory_order_relaxed);
	}
	percpu_done(ref);
	return true;
}

/* With switch_lock held. */
static void switch_to_percpu(struct percpu_ref *ref, const void *from)
{
	unsigned long *counters = counters_of(ref);

	if (!(flags_of(ref) & __PERCPU_REF_ATOMIC))
		return;
	/* The kernel warns here (WARN_ON_ONCE), or, with the counters freed,
	 * stops (BUG_ON): the ref stays in atomic mode, correct and slower. */
	if (ref->data->percpu_done) {
		struct release_name n;

		report_once_fmt(&warned_no_reinit, from, "percpu ref (%s) back to "
				"per-CPU mode without PERCPU_REF_ALLOW_REINIT: it "
				"stays in atomic mode", release_name(ref, &n));
		return;
	}
	if (!counters)
		return;		/* per-CPU mode is unavailable */
	atomic_fetch_add_explicit(&ref->data->count, PERCPU_COUNT_BIAS,
				  memory_order_relaxed);
	kref_percpu_zero(counters);
	/* Release: the bias and the zeroed counters are in place before a
	 * get can add to them. */
	atomic_fetch_and_explicit(&ref->percpu_count_ptr, ~__PERCPU_REF_ATOMIC,
				  memory_order_release);
}

/* With switch_lock held; true if the switch took a reference to put. */
static bool switch_mode(struct percpu_ref *ref, const void *from)
{
	if (ref->data->force_atomic || percpu_ref_is_dying(ref))
		return switch_to_atomic(ref, from);
	switch_to_percpu(ref, from);
	return false;
}

/* The three switches; @from is the caller of the public call. */
static void switch_forced(struct percpu_ref *ref, bool atomic,
			  percpu_ref_func_t *confirm, const void *from)
{
	bool took;

	switch_lock_for(ref);
	ref->data->force_atomic = atomic;
	took = switch_mode(ref, from);
	switch_unlock_and_finish(ref, confirm, took);
}

void percpu_ref_switch_to_atomic(struct percpu_ref *ref,
				 percpu_ref_func_t *confirm_switch)
{
	switch_forced(ref, true, confirm_switch, __builtin_return_address(0));
}

void percpu_ref_switch_to_atomic_sync(struct percpu_ref *ref)
{
	switch_forced(ref, true, NULL, __builtin_return_address(0));
}

void percpu_ref_switch_to_percpu(struct percpu_ref *ref)
{
	switch_forced(ref, false, NULL, __builtin_return_address(0));
}

/*
 * A second kill is reported with the kernel's text.  The kernel then puts
 * the initial reference again, which is not the caller's to put: the
 * object can be released under a holder.  We put nothing, so it is
 * released when its holders are done.  @confirm_kill still runs, as in the
 * kernel: the ref is dead on every CPU.
 */
void percpu_ref_kill_and_confirm(struct percpu_ref *ref,
				 percpu_ref_func_t *confirm_kill)
{
	bool again, took;

	switch_lock_for(ref);
	again = percpu_ref_is_dying(ref);
	if (again) {
		struct release_name n;

		report_once_fmt(&warned_kill, __builtin_return_address(0),
				"percpu_ref_kill_and_confirm called more than "
				"once on %s!", release_name(ref, &n));
	}
	atomic_fetch_or_explicit(&ref->percpu_count_ptr, __PERCPU_REF_DEAD,
				 memory_order_relaxed);
	took = switch_mode(ref, __builtin_return_address(0));
	/* With the switch's own, the initial reference; may release. */
	switch_unlock_and_finish(ref, confirm_kill, (unsigned long)took + !again);
}

/*
 * On a ref that is not dead the kernel warns and takes a reference that
 * nobody will put, so the object can never be released; we report and do
 * nothing, which leaves the ref as the caller wanted it: live.
 */
void percpu_ref_resurrect(struct percpu_ref *ref)
{
	bool took;

	switch_lock_for(ref);
	if (!percpu_ref_is_dying(ref)) {
		pthread_mutex_unlock(&switch_lock);
		kref_report_once(&warned_resurrect, "percpu_ref_resurrect on a "
				 "ref that is not dead", __builtin_return_address(0));
		return;
	}
	atomic_fetch_and_explicit(&ref->percpu_count_ptr, ~__PERCPU_REF_DEAD,
				  memory_order_relaxed);
	percpu_ref_get(ref);	/* atomic mode: back to one for the owner */
	took = switch_mode(ref, __builtin_return_address(0));
	switch_unlock_and_finish(ref, NULL, took);
}

bool percpu_ref_is_zero(struct percpu_ref *ref)
{
	unsigned long p = atomic_load_explicit(&ref->percpu_count_ptr,
					       memory_order_relaxed), count;

	if (!(p & __PERCPU_REF_ATOMIC_DEAD))
		return false;
	/* The lock keeps percpu_ref_exit() from freeing data meanwhile.
	 * Relaxed: a snapshot, as the kernel's atomic_long_read(). */
	pthread_mutex_lock(&switch_lock);
	if (ref->data)
		count = atomic_load_explicit(&ref->data->count, memory_order_relaxed);
	else	/* exited: the count is in the pointer's place */
		count = atomic_load_explicit(&ref->percpu_count_ptr,
					     memory_order_relaxed) >> __PERCPU_REF_FLAG_BITS;
	pthread_mutex_unlock(&switch_lock);
	return !count;
}

void percpu_ref_reinit(struct percpu_ref *ref)
{
	if (!percpu_ref_is_zero(ref))
		kref_report_once(&warned_reinit, "percpu_ref_reinit on a ref "
				 "that is not zero", __builtin_return_address(0));
	percpu_ref_resurrect(ref);
}
