/* SPDX-License-Identifier: MIT */
/*
 * test_stress_percpu.c - percpu_ref under everything at once, at random.
 *
 * OBJS objects, each a percpu_ref and a payload.  An owner thread goes on
 * switching them between modes, killing them (some with a reference of its
 * own held, then resurrecting), reinitialising the released ones, and
 * forking (the child uses every object it can and exits 0).  WORKERS
 * threads look objects up with percpu_ref_tryget_live/tryget, check the
 * payload while they hold the reference, take and drop more, and hand
 * references to each other.  A thread sends them signals whose handlers
 * get and put too; another moves them between CPUs.  Inside each switch,
 * the test hook (src/test_hooks.h) yields at random, holding the window
 * between the mode flag and the sum open longer.
 *
 * Checked: release runs once per kill, and only after one; a thread never
 * sees the poison release writes while it holds a reference; at the end,
 * with every reference put, killing each object releases it at once (no
 * reference lost).  Unset, KREF_STRESS_SCALE gives make check's short
 * run; make stress sets it to N for N times OPS_PER_SCALE operations
 * (about 3 s each here).
 *
 * Build: percpu_hooks.o
 */
#define _GNU_SOURCE
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <kref.h>
#include "../../src/test_hooks.h"
#include "percpu_mode.h"
#include "tap.h"

#define OBJS		8
#define WORKERS		6
#define OPS		20000	/* the owner's in make check */
#define OPS_PER_SCALE	500000	/* and per unit of KREF_STRESS_SCALE */
#define FORK_EVERY	2000
#define MAILBOX		64
#define GOOD		0x600dU
#define POISON		0xdeadU

#include "mailbox.h"

enum state { LIVE, DYING, RELEASED };

static struct obj {
	struct percpu_ref ref;
	atomic_uint payload[4];
	atomic_int state;
	atomic_long kills, releases;
} objs[OBJS];

static struct mailbox mailbox[WORKERS];

static atomic_int stop, tids[WORKERS];
static atomic_long bad_release, poison_seen, lookups, handoffs, handled,
	moves, forks, bad_children, yields;
static _Thread_local _Atomic(struct obj *) holding;	/* for the handler */

/* A new life's payload reaches whoever gets into it: the owner's release
 * fence before reinit pairs with the getter's acquire fence after its
 * tryget.  GCC's ThreadSanitizer has no fences (and x86 needs none). */
#ifdef KREF_TSAN
#define FENCE(order)	((void)0)
#else
#define FENCE(order)	atomic_thread_fence(memory_order_##order)
#endif

static unsigned int next_random(unsigned int *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

static void hook(struct percpu_ref *r, enum kref_internal_hook_point point)
{
	static _Thread_local unsigned int seed = 12345;

	(void)r;
	if (point == KREF_INTERNAL_HOOK_SWITCH_FLAGGED && next_random(&seed) % 4 == 0) {
		atomic_fetch_add_explicit(&yields, 1, memory_order_relaxed);
		sched_yield();
	}
}

static void on_release(struct percpu_ref *r)
{
	struct obj *o = container_of(r, struct obj, ref);

	/* Only a killed object is released, and only once per kill. */
	if (atomic_load(&o->state) != DYING ||
	    atomic_fetch_add(&o->releases, 1) + 1 != atomic_load(&o->kills))
		atomic_fetch_add(&bad_release, 1);
	for (int i = 0; i < 4; i++)
		atomic_store_explicit(&o->payload[i], POISON, memory_order_relaxed);
	/* Last: the owner may reinitialise the object once it sees this. */
	atomic_store(&o->state, RELEASED);
}

/* With a reference held: the payload must not be poisoned. */
static void check(struct obj *o)
{
	for (int i = 0; i < 4; i++)
		if (atomic_load_explicit(&o->payload[i], memory_order_relaxed) != GOOD)
			atomic_fetch_add(&poison_seen, 1);
}

/* Async-signal-safe: the ref's fast and atomic paths and atomics only.  A
 * put here may be an object's last, so release runs in a handler too. */
static void handler(int sig)
{
	struct obj *o = atomic_load_explicit(&holding, memory_order_relaxed);
	static _Thread_local unsigned int seed = 777;
	struct obj *other = &objs[next_random(&seed) % OBJS];

	(void)sig;
	if (o) {
		percpu_ref_get(&o->ref);
		check(o);
		percpu_ref_put(&o->ref);
	}
	if (percpu_ref_tryget_live(&other->ref)) {
		FENCE(acquire);		/* see the owner's reinit */
		check(other);
		percpu_ref_put(&other->ref);
	}
	atomic_fetch_add_explicit(&handled, 1, memory_order_relaxed);
}

static void *worker(void *arg)
{
	unsigned int self = (unsigned int)(size_t)arg;
	unsigned int seed = 2463534242u ^ (self * 2654435761u);
	struct obj *o;

	atomic_store(&tids[self], (int)syscall(SYS_gettid));
	while (!atomic_load_explicit(&stop, memory_order_relaxed)) {
		unsigned int r = next_random(&seed);
		unsigned long k = 1 + r % 3;

		while ((o = mailbox_pop(&mailbox[self]))) {	/* handed to us */
			check(o);
			percpu_ref_put(&o->ref);
		}
		o = &objs[r % OBJS];
		/* Plain trygets, which succeed on a killed object that still
		 * has references, only while it looks live: else they would
		 * keep a dying object alive forever, and the kills that race
		 * them never end in a release. */
		if (!((r >> 8) & 3 && atomic_load(&o->state) == LIVE ?
		      percpu_ref_tryget(&o->ref) : percpu_ref_tryget_live(&o->ref)))
			continue;
		FENCE(acquire);		/* see the owner's reinit */
		atomic_fetch_add_explicit(&lookups, 1, memory_order_relaxed);
		atomic_store_explicit(&holding, o, memory_order_relaxed);
		check(o);
		percpu_ref_get_many(&o->ref, k);
		check(o);
		percpu_ref_put_many(&o->ref, k);
		atomic_store_explicit(&holding, NULL, memory_order_relaxed);
		atomic_signal_fence(memory_order_seq_cst);
		if ((r >> 12) % 4 == 0 &&
		    mailbox_push(&mailbox[(self + 1 + (r >> 16) % (WORKERS - 1)) % WORKERS], o)) {
			atomic_fetch_add_explicit(&handoffs, 1, memory_order_relaxed);
			continue;	/* our reference is theirs now */
		}
		check(o);
		percpu_ref_put(&o->ref);
	}
	return NULL;
}

static void *signaller(void *arg)
{
	pthread_t *workers = arg;
	unsigned int seed = 99;

	while (!atomic_load(&stop))
		for (int i = 0; i < 16; i++)
			pthread_kill(workers[next_random(&seed) % WORKERS], SIGUSR1);
	return NULL;
}

static void *mover(void *arg)
{
	cpu_set_t *cpus = arg, to;
	int ids[CPU_SETSIZE], n = 0;
	unsigned int seed = 4242;

	for (int c = 0; c < CPU_SETSIZE; c++)
		if (CPU_ISSET(c, cpus))
			ids[n++] = c;
	while (!atomic_load(&stop)) {
		int tid = atomic_load(&tids[next_random(&seed) % WORKERS]);

		if (next_random(&seed) % 3 == 0) {
			to = *cpus;
		} else {
			CPU_ZERO(&to);
			CPU_SET(ids[next_random(&seed) % (unsigned int)n], &to);
		}
		if (tid && sched_setaffinity(tid, sizeof(to), &to) == 0)
			atomic_fetch_add_explicit(&moves, 1, memory_order_relaxed);
		sched_yield();
	}
	return NULL;
}

/* In a forked child: whatever the parent's threads were doing, every call
 * works here (alarm() bounds a hang). */
static atomic_int child_releases;

static void on_child_release(struct percpu_ref *r)
{
	(void)r;
	atomic_fetch_add(&child_releases, 1);
}

static int child(void)
{
	struct percpu_ref r;

	alarm(60);
	for (int i = 0; i < OBJS; i++) {
		if (atomic_load(&objs[i].state) != LIVE)
			continue;
		percpu_ref_switch_to_atomic_sync(&objs[i].ref);
		if (!percpu_ref_tryget(&objs[i].ref))
			return 1;	/* the owner's reference is there */
		percpu_ref_put(&objs[i].ref);
		percpu_ref_switch_to_percpu(&objs[i].ref);
	}
	if (percpu_ref_init(&r, on_child_release, PERCPU_REF_ALLOW_REINIT) != 0)
		return 1;
	percpu_ref_get(&r);
	percpu_ref_kill(&r);
	percpu_ref_resurrect(&r);
	percpu_ref_put(&r);
	percpu_ref_switch_to_atomic_sync(&r);
	if (atomic_load(&r.data->count) != 1)
		return 1;
	percpu_ref_switch_to_percpu(&r);
	percpu_ref_kill(&r);
	if (atomic_load(&child_releases) != 1)
		return 1;
	percpu_ref_exit(&r);
	return 0;
}

static void do_fork(void)
{
	int status;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		int rc = child();

		fflush(NULL);
		_exit(rc);	/* the sanitizers' exit checks would see the
				 * parent's threads as running ones */
	}
	atomic_fetch_add(&forks, 1);
	if (pid < 0 || waitpid(pid, &status, 0) != pid ||
	    !WIFEXITED(status) || WEXITSTATUS(status) != 0)
		atomic_fetch_add(&bad_children, 1);
}

static long total_kills(void)
{
	long kills = 0;

	for (int i = 0; i < OBJS; i++)
		kills += atomic_load(&objs[i].kills);
	return kills;
}

/* The owner's move on object @o. */
static void own(struct obj *o, unsigned int r)
{
	switch (atomic_load(&o->state)) {
	case RELEASED:
		for (int i = 0; i < 4; i++)
			atomic_store_explicit(&o->payload[i], GOOD, memory_order_relaxed);
		atomic_store(&o->state, LIVE);
		FENCE(release);		/* the getters of the new life see GOOD */
		percpu_ref_reinit(&o->ref);
		if (r & 1)
			percpu_ref_switch_to_atomic_sync(&o->ref);
		return;
	case DYING:
		return;		/* the last holder will release it */
	default:
		break;
	}
	switch (r % 8) {
	case 0:
	case 1:
		percpu_ref_switch_to_atomic_sync(&o->ref);
		break;
	case 2:
	case 3:
		percpu_ref_switch_to_percpu(&o->ref);
		break;
	case 4:		/* a kill undone: our own reference keeps it alive */
		percpu_ref_get(&o->ref);
		percpu_ref_kill(&o->ref);
		percpu_ref_resurrect(&o->ref);
		percpu_ref_put(&o->ref);
		break;
	case 5:
		atomic_store(&o->state, DYING);
		atomic_fetch_add(&o->kills, 1);
		percpu_ref_kill(&o->ref);
		break;
	default:
		if (percpu_ref_tryget(&o->ref)) {
			check(o);
			percpu_ref_put(&o->ref);
		}
	}
}

int main(void)
{
	struct sigaction sa = { .sa_handler = handler, .sa_flags = SA_RESTART };
	pthread_t workers[WORKERS], sig, mov;
	const char *s = getenv("KREF_STRESS_SCALE");
	long ops = s && atol(s) > 0 ? OPS_PER_SCALE * atol(s) : OPS;
	unsigned int seed = 1;
	long kills = 0, releases = 0, lost = 0;
	cpu_set_t cpus;

	diag("per-CPU mode %savailable", percpu_mode() ? "" : "NOT ");
	kref_internal_percpu_hook = hook;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	if (sched_getaffinity(0, sizeof(cpus), &cpus) != 0) {
		CPU_ZERO(&cpus);
		CPU_SET(0, &cpus);
	}
	for (int i = 0; i < OBJS; i++) {
		for (int j = 0; j < 4; j++)
			atomic_init(&objs[i].payload[j], GOOD);
		percpu_ref_init(&objs[i].ref, on_release, PERCPU_REF_ALLOW_REINIT);
	}
	for (int i = 0; i < WORKERS; i++)
		pthread_mutex_init(&mailbox[i].lock, NULL);
	for (int i = 0; i < WORKERS; i++)
		pthread_create(&workers[i], NULL, worker, (void *)(size_t)i);
	pthread_create(&sig, NULL, signaller, workers);
	pthread_create(&mov, NULL, mover, &cpus);

	/* At least two kills per object, however slowly a loaded machine lets
	 * the workers put the references that keep killed objects dying. */
	for (long i = 1; i <= ops || total_kills() < 2 * OBJS; i++) {
		unsigned int r = next_random(&seed);

		own(&objs[r % OBJS], r >> 8);
		if (i % FORK_EVERY == 0)
			do_fork();
		if (i > ops)
			sched_yield();
	}

	atomic_store(&stop, 1);
	pthread_join(sig, NULL);
	pthread_join(mov, NULL);
	for (int i = 0; i < WORKERS; i++)
		pthread_join(workers[i], NULL);
	for (int i = 0; i < WORKERS; i++) {	/* references still handed over */
		struct obj *o;

		while ((o = mailbox_pop(&mailbox[i])))
			percpu_ref_put(&o->ref);
	}
	/* Nobody holds a reference now: a kill must release at once. */
	for (int i = 0; i < OBJS; i++) {
		struct obj *o = &objs[i];

		if (atomic_load(&o->state) == LIVE) {
			atomic_store(&o->state, DYING);
			atomic_fetch_add(&o->kills, 1);
			percpu_ref_kill(&o->ref);
		}
		lost += atomic_load(&o->state) != RELEASED;
		kills += atomic_load(&o->kills);
		releases += atomic_load(&o->releases);
		percpu_ref_exit(&o->ref);
	}

	diag("%ld owner operations, %ld lookups, %ld handoffs, %ld handlers, "
	     "%ld moves, %ld forks, %ld switches yielded in the window, %ld kills", ops,
	     atomic_load(&lookups), atomic_load(&handoffs), atomic_load(&handled),
	     atomic_load(&moves), atomic_load(&forks), atomic_load(&yields), kills);
	ok(kills >= 2 * OBJS && atomic_load(&lookups) > 0,
	   "%ld kills, with lookups racing them", kills);
	is(releases, kills, "one release per kill");
	is(atomic_load(&bad_release), 0, "  each after its kill, once");
	is(atomic_load(&poison_seen), 0, "no thread saw a released object while "
	   "holding a reference");
	is(lost, 0, "with every reference put, each object was released "
	   "(none lost)");
	is(atomic_load(&bad_children), 0, "%ld forked children used every call "
	   "and exited 0", atomic_load(&forks));
	return done_testing();
}
