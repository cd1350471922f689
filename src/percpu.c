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
 * tests/model/percpu.pml is the model that spin checks.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <linux/membarrier.h>
#include <pthread.h>
#include <signal.h>
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

/*
 * Mode switches are rare: one lock for all, like the kernel's.  Nothing
 * done under it calls the program or waits for anything but libkref's
 * other short sections (the allocator's lock is never taken inside it):
 * fork() takes it, and must never wait for the program (fork_prepare()).
 */
static struct kref_lock switch_lock;
static pthread_once_t available_once = PTHREAD_ONCE_INIT;
static bool available;
static atomic_bool warned_kill, warned_resurrect, warned_reinit, warned_fence,
	warned_underflow, warned_no_reinit;

/* The kernel's reports name the ref by its release function (%ps). */
struct release_name {
	char s[256];
};

static const char *release_name(percpu_ref_func_t *release, struct release_name *n)
{
	kref_report_symbol((const void *)(uintptr_t)release, n->s, sizeof(n->s));
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
 * What a slow path leaves for after switch_lock is dropped, because fork()
 * may be waiting for the lock: giving counters back to the allocator (its
 * lock is never taken inside switch_lock), and a report (dladdr() waits
 * for the dynamic linker's lock, under which dlopen() runs the program's
 * constructors, and a write to stderr for a full pipe).
 */
enum report { NO_REPORT, REPORT_KILL_TWICE, REPORT_UNDERFLOW, REPORT_NO_REINIT };

struct after {
	unsigned long *counters;	/* to free, if not NULL */
	void *chunk;
	enum report report;
	percpu_ref_func_t *release;	/* names the ref in the report */
	long count;
	const void *from;
};

static void after_unlock(const struct after *a)
{
	struct release_name n;

	if (a->counters)
		kref_percpu_free(a->counters, a->chunk);
	switch (a->report) {
	case REPORT_KILL_TWICE:
		report_once_fmt(&warned_kill, a->from, "percpu_ref_kill_and_confirm "
				"called more than once on %s!",
				release_name(a->release, &n));
		break;
	case REPORT_UNDERFLOW:
		report_once_fmt(&warned_underflow, a->from, "percpu ref (%s) <= 0 "
				"(%ld) after switching to atomic",
				release_name(a->release, &n), a->count);
		break;
	case REPORT_NO_REINIT:
		report_once_fmt(&warned_no_reinit, a->from, "percpu ref (%s) back to "
				"per-CPU mode without PERCPU_REF_ALLOW_REINIT: it "
				"stays in atomic mode", release_name(a->release, &n));
		break;
	case NO_REPORT:
		break;
	}
}

/*
 * A switch whose confirmation runs after switch_lock is dropped (the
 * program's code may not run under it) is on a list meanwhile, with the
 * one reference it keeps across the confirmation: the ref's next switch
 * waits for the confirmation (as the kernel's does), and the child of a
 * fork drops the kept references of threads it does not have
 * (drop_vanished()).  The record is on the finishing thread's stack, which
 * may itself switch the ref again from its confirmation.
 */
struct finishing {
	struct percpu_ref *ref;
	pthread_t thread;
	bool holds;			/* keeps a reference, to put after */
	struct finishing *next;
};

static struct finishing *finishing;	/* under switch_lock */
static atomic_uint confirmed;		/* futex: bumped as a confirmation ends */

/*
 * Set (with switch_lock held) while the list is being changed, so that a
 * fork() from a signal handler that interrupted the change leaves the list
 * alone in the child until the change is done (fork_child()).  Only this
 * thread and a handler on it read them while it holds the lock.
 */
static volatile sig_atomic_t list_busy, child_drop_pending;

static void drop_vanished(void);

/* The change is done; in a child forked during it, so are the drops that
 * the fork left to us (only ever set while list_busy is). */
static void list_changed(void)
{
	for (;;) {
		while (child_drop_pending) {
			child_drop_pending = 0;
			drop_vanished();	/* a fork in it defers to us again */
		}
		atomic_signal_fence(memory_order_seq_cst);
		list_busy = 0;
		atomic_signal_fence(memory_order_seq_cst);
		if (!child_drop_pending)
			return;
		list_busy = 1;	/* a fork came just before: drop for it */
		atomic_signal_fence(memory_order_seq_cst);
	}
}

static void list_push(struct finishing *f)
{
	list_busy = 1;
	atomic_signal_fence(memory_order_seq_cst);
	f->next = finishing;
	TEST_HOOK(f->ref, KREF_INTERNAL_HOOK_LIST_CHANGE);
	finishing = f;
	list_changed();
}

static void list_del(struct finishing *f)
{
	list_busy = 1;
	atomic_signal_fence(memory_order_seq_cst);
	for (struct finishing **p = &finishing; *p; p = &(*p)->next)
		if (*p == f) {
			*p = f->next;
			break;
		}
	list_changed();
}

/* With switch_lock held: whether another thread's confirmation of @ref is
 * still to return. */
static bool others_confirming(struct percpu_ref *ref)
{
	for (struct finishing *f = finishing; f; f = f->next)
		if (f->ref == ref && !pthread_equal(f->thread, pthread_self()))
			return true;
	return false;
}

/* Takes switch_lock for a switch of @ref, once no other thread's
 * confirmation of @ref is pending: that wait is the program's, and it
 * holds no lock while it sleeps. */
static void switch_lock_for(struct percpu_ref *ref)
{
	kref_lock(&switch_lock);
	while (others_confirming(ref)) {
		/* Relaxed: read and bumped under switch_lock, which orders them;
		 * the futex only rechecks the value. */
		unsigned int seen = atomic_load_explicit(&confirmed, memory_order_relaxed);

		kref_unlock(&switch_lock);
		kref_futex_wait(&confirmed, seen);
		kref_lock(&switch_lock);
	}
}

/*
 * With switch_lock held: drops @nr references of the switch's own (its
 * own, a kill's initial one).  True if they were the last: then the
 * caller calls call_release() once the lock is dropped.
 */
static bool put_locked(struct percpu_ref *ref, unsigned long nr)
{
	kref_vg_happens_before(ref);
	/* Release, as percpu_ref_put_many(): what this thread did happens
	 * before whoever releases.  The atomic count takes a put in either
	 * mode: in per-CPU mode it holds the bias, so it cannot reach 0
	 * there, and the switch that ends the mode adds the counters to it. */
	return atomic_fetch_sub_explicit(&ref->data->count, nr,
					 memory_order_release) == nr;
}

static void call_release(struct percpu_ref *ref)
{
	/* Acquire as a load, as percpu_ref_put_many(): every put happened
	 * before release(). */
	(void)atomic_load_explicit(&ref->data->count, memory_order_acquire);
	kref_vg_happens_after(ref);
	ref->data->release(ref);
}

/*
 * With switch_lock held, at the end of a switch of @ref that holds @puts
 * references of its own to drop (the switch's, a kill's initial one) and
 * has @confirm to call: drops the lock, does what @a holds, confirms.  One
 * reference is kept across the confirmation, so nothing is released under
 * it; every other is dropped under the lock, so that a fork() sees them
 * either all held or all dropped, never a put half done.  The
 * confirmation, and release() if the last reference goes, run with no
 * lock held: they may switch or kill this ref, and switch, kill or exit
 * another (not exit this one: the kept reference is put after).
 */
static void switch_end(struct percpu_ref *ref, percpu_ref_func_t *confirm,
		       unsigned long puts, const struct after *a)
{
	struct finishing f = { ref, pthread_self(), confirm && puts, NULL };
	/* Not the last when one is kept: the kept one is in the count. */
	bool last = puts > (unsigned long)f.holds &&
		    put_locked(ref, puts - f.holds);

	if (confirm)
		list_push(&f);
	kref_unlock(&switch_lock);
	after_unlock(a);
	if (!confirm) {
		if (last)
			call_release(ref);
		return;
	}
	confirm(ref);
	kref_lock(&switch_lock);
	last = f.holds && put_locked(ref, 1);
	list_del(&f);
	/* Relaxed: under switch_lock, as its readers (switch_lock_for()). */
	atomic_fetch_add_explicit(&confirmed, 1, memory_order_relaxed);
	kref_futex_wake(&confirmed, INT_MAX);
	kref_unlock(&switch_lock);
	if (last)
		call_release(ref);
}

/*
 * In a forked child, with switch_lock held and the list whole: the
 * switches that other threads were confirming will never finish here.
 * Their confirmations are not run: each was the program's code in a call
 * that, in the child, never returns, it may have run in part already, and
 * code run from a fork handler runs before the program's own handlers
 * have reset its locks.  The reference each kept is libkref's, not the
 * program's: it is dropped, so the child's counts are exact and the
 * child's last put releases, unless it is the last one left (in atomic
 * mode): the release it would lead to was that thread's to run, and the
 * object stays allocated in the child, as whatever else that thread held.
 */
static void drop_vanished(void)
{
	for (struct finishing **p = &finishing; *p;) {
		struct finishing *f = *p;
		unsigned long c;

		if (pthread_equal(f->thread, pthread_self())) {
			p = &f->next;	/* ours: we finish it, here too */
			continue;
		}
		*p = f->next;
		if (!f->holds)	/* then the ref may be gone: not ours to keep */
			continue;
		/* Relaxed: the child has one thread, this one. */
		c = atomic_load_explicit(&f->ref->data->count, memory_order_relaxed);
		while (c != 1 &&
		       !atomic_compare_exchange_weak_explicit(&f->ref->data->count,
				&c, c - 1, memory_order_relaxed, memory_order_relaxed))
			;
	}
}

/*
 * fork() waits for libkref's critical sections, and for nothing else: not
 * for a confirmation or a release() under way in another thread, which is
 * the program's code and may wait for the forking thread (a lock it holds
 * across fork, or a fork of its own).  The sections are short and call
 * nothing of the program, so every ref the child sees is in one mode,
 * whole, and every lock free.  A switch that another thread was
 * confirming is cleaned up by drop_vanished().  A fork from a signal
 * handler that interrupted a section on its own thread takes no lock it
 * already holds (it would wait for itself): the child's thread, this one,
 * ends that section when the handler returns, as the parent's does.
 * What else the child inherits needs nothing: membarrier's registration
 * belongs to the process's memory and fork copies it (only exec clears
 * it); the forking thread's rseq area is kept; glibc reruns in the child
 * a pthread_once that another thread had under way, so `available` is
 * settled there too.
 */
static _Thread_local unsigned int fork_took;	/* 2 bits a fork under way */

static void fork_prepare(void)
{
	unsigned int took = 0;

	if (!kref_lock_mine(&switch_lock)) {
		kref_lock(&switch_lock);
		took |= 1;
	}
	/* Second: a holder of switch_lock never waits for this one. */
	if (!kref_percpu_alloc_mine()) {
		kref_percpu_alloc_lock();
		took |= 2;
	}
	fork_took = fork_took << 2 | took;	/* a nested fork pops its own */
}

static unsigned int fork_unlock(void)
{
	unsigned int took = fork_took & 3;

	fork_took >>= 2;
	if (took & 2)
		kref_percpu_alloc_unlock();
	if (took & 1)
		kref_unlock(&switch_lock);
	return took;
}

static void fork_parent(void)
{
	fork_unlock();
}

static void fork_child(void)
{
	/* The list is whole unless a handler interrupted its change on this
	 * thread: then list_changed() drops them as the change ends, before
	 * the child can create a thread on a stack that holds a record. */
	if (list_busy) {
		child_drop_pending = 1;
	} else {
		list_busy = 1;	/* a change too, for a fork in a handler here */
		atomic_signal_fence(memory_order_seq_cst);
		drop_vanished();
		list_changed();
	}
	fork_unlock();
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
		p = (unsigned long)kref_percpu_alloc(&data->chunk,
							&ref->percpu_count_ptr);
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

/* In atomic mode only, after the switch: no sequence adds to them.  With
 * switch_lock held: the allocator gets them back once it is dropped. */
static void detach_counters(struct percpu_ref *ref, struct after *a)
{
	a->counters = counters_of(ref);
	a->chunk = ref->data->chunk;
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
	struct after a = { 0 };
	unsigned long count;

	if (!data)
		return;
	if (!(flags_of(ref) & __PERCPU_REF_ATOMIC)) {
		/* seq_cst: the flag is set before the membarriers. */
		atomic_fetch_or(&ref->percpu_count_ptr, __PERCPU_REF_ATOMIC);
		restart_and_fence();
	}
	/* Under the lock, as the kernel's: percpu_ref_is_zero() may run. */
	kref_lock(&switch_lock);
	if (counters_of(ref))
		detach_counters(ref, &a);
	count = atomic_load_explicit(&data->count, memory_order_relaxed);
	/* Keep the count for percpu_ref_is_zero(), as the kernel does. */
	atomic_store_explicit(&ref->percpu_count_ptr, __PERCPU_REF_ATOMIC_DEAD |
			      (count << __PERCPU_REF_FLAG_BITS),
			      memory_order_relaxed);
	ref->data = NULL;
	kref_unlock(&switch_lock);
	after_unlock(&a);
	free(data);
}

/*
 * Without PERCPU_REF_ALLOW_REINIT a ref in atomic mode never goes back, so
 * the kernel frees its per-CPU counters at the end of every switch to
 * atomic mode, and so do we.  The kernel also leaves the ref marked dead
 * then (a live ref's lookups fail, its first kill warns); we do not.
 */
static void percpu_done(struct percpu_ref *ref, struct after *a)
{
	if (ref->data->allow_reinit)
		return;
	ref->data->percpu_done = true;
	if (counters_of(ref))
		detach_counters(ref, a);
}

/* A saturated atomic count: no number of puts brings it to 0. */
#define PERCPU_COUNT_SATURATED	(PERCPU_COUNT_BIAS >> 1)

/*
 * With switch_lock held; @from is the caller of the public call.  Takes a
 * reference of its own, so that nothing is released mid-switch, and says
 * so: switch_end() puts it.
 */
static bool switch_to_atomic(struct percpu_ref *ref, const void *from,
			     struct after *a)
{
	unsigned long sum = 0, count, *counters = counters_of(ref);

	if (flags_of(ref) & __PERCPU_REF_ATOMIC) {
		percpu_done(ref, a);
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
	 * leaks (reported once the lock is dropped).  Relaxed: the lock
	 * orders it against the other switches, and racing gets and puts only
	 * move it by their own amounts.
	 */
	if ((long)count <= 0) {
		a->report = REPORT_UNDERFLOW;
		a->release = ref->data->release;
		a->count = (long)count;
		a->from = from;
		atomic_fetch_add_explicit(&ref->data->count,
					  PERCPU_COUNT_SATURATED - count,
					  memory_order_relaxed);
	}
	percpu_done(ref, a);
	return true;
}

/* With switch_lock held. */
static void switch_to_percpu(struct percpu_ref *ref, const void *from,
			     struct after *a)
{
	unsigned long *counters = counters_of(ref);

	if (!(flags_of(ref) & __PERCPU_REF_ATOMIC))
		return;
	/* The kernel warns here (WARN_ON_ONCE), or, with the counters freed,
	 * stops (BUG_ON): the ref stays in atomic mode, correct and slower. */
	if (ref->data->percpu_done) {
		a->report = REPORT_NO_REINIT;
		a->release = ref->data->release;
		a->from = from;
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
static bool switch_mode(struct percpu_ref *ref, const void *from, struct after *a)
{
	if (ref->data->force_atomic || percpu_ref_is_dying(ref))
		return switch_to_atomic(ref, from, a);
	switch_to_percpu(ref, from, a);
	return false;
}

/* The three switches; @from is the caller of the public call. */
static void switch_forced(struct percpu_ref *ref, bool atomic,
			  percpu_ref_func_t *confirm, const void *from)
{
	struct after a = { 0 };
	bool took;

	switch_lock_for(ref);
	ref->data->force_atomic = atomic;
	took = switch_mode(ref, from, &a);
	switch_end(ref, confirm, took, &a);
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
	struct after a = { 0 };
	bool again, took;

	switch_lock_for(ref);
	again = percpu_ref_is_dying(ref);
	if (again) {
		a.report = REPORT_KILL_TWICE;
		a.release = ref->data->release;
		a.from = __builtin_return_address(0);
	}
	atomic_fetch_or_explicit(&ref->percpu_count_ptr, __PERCPU_REF_DEAD,
				 memory_order_relaxed);
	took = switch_mode(ref, __builtin_return_address(0), &a);
	/* With the switch's own, the initial reference. */
	switch_end(ref, confirm_kill, (unsigned long)took + !again, &a);
}

/*
 * On a ref that is not dead the kernel warns and takes a reference that
 * nobody will put, so the object can never be released; we report and do
 * nothing, which leaves the ref as the caller wanted it: live.
 */
void percpu_ref_resurrect(struct percpu_ref *ref)
{
	struct after a = { 0 };
	bool took;

	switch_lock_for(ref);
	if (!percpu_ref_is_dying(ref)) {
		kref_unlock(&switch_lock);
		kref_report_once(&warned_resurrect, "percpu_ref_resurrect on a "
				 "ref that is not dead", __builtin_return_address(0));
		return;
	}
	atomic_fetch_and_explicit(&ref->percpu_count_ptr, ~__PERCPU_REF_DEAD,
				  memory_order_relaxed);
	percpu_ref_get(ref);	/* atomic mode: back to one for the owner */
	took = switch_mode(ref, __builtin_return_address(0), &a);
	switch_end(ref, NULL, took, &a);
}

bool percpu_ref_is_zero(struct percpu_ref *ref)
{
	unsigned long p = atomic_load_explicit(&ref->percpu_count_ptr,
					       memory_order_relaxed), count;

	if (!(p & __PERCPU_REF_ATOMIC_DEAD))
		return false;
	/* The lock keeps percpu_ref_exit() from freeing data meanwhile.
	 * Relaxed: a snapshot, as the kernel's atomic_long_read(). */
	kref_lock(&switch_lock);
	if (ref->data)
		count = atomic_load_explicit(&ref->data->count, memory_order_relaxed);
	else	/* exited: the count is in the pointer's place */
		count = atomic_load_explicit(&ref->percpu_count_ptr,
					     memory_order_relaxed) >> __PERCPU_REF_FLAG_BITS;
	kref_unlock(&switch_lock);
	return !count;
}

void percpu_ref_reinit(struct percpu_ref *ref)
{
	if (!percpu_ref_is_zero(ref))
		kref_report_once(&warned_reinit, "percpu_ref_reinit on a ref "
				 "that is not zero", __builtin_return_address(0));
	percpu_ref_resurrect(ref);
}
