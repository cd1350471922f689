/* SPDX-License-Identifier: MIT */
/*
 * test_stress.c - four threads hand objects to each other through mailboxes
 * for more than a million gets and puts: every object is released exactly
 * once, by its last put, and none is leaked.  KREF_STRESS_SCALE multiplies
 * the work (make stress).  Built with -DKREF_DEBUG as test_stress_debug,
 * it shows debug mode makes no false report: any report is fatal there.
 */
#include <stdlib.h>
#include <kref.h>
#include "capture.h"
#include "tap.h"

#define THREADS		4
#define ROUNDS		15000	/* objects per thread, 19 gets and puts each */
#define MAILBOX		256
#define CHECK(id)	((id) * 2654435761u)

#include "mailbox.h"

struct obj {
	struct kref ref;
	unsigned int id;
	unsigned int check;	/* CHECK(id), written before the first handoff */
};

static struct mailbox mailbox[THREADS];

static atomic_long created, released, bad_release, bad_check, ops, handoffs;
static atomic_int producing = THREADS;
static pthread_barrier_t start;

static void obj_release(struct kref *ref)
{
	struct obj *o = container_of(ref, struct obj, ref);

	if (kref_read(ref) != 0 || o->check != CHECK(o->id))
		atomic_fetch_add(&bad_release, 1);
	o->check = 0;
	free(o);
	atomic_fetch_add(&released, 1);
}

/* Use what others handed us: verify, take and drop extra references, put. */
static long drain(struct mailbox *m)
{
	struct obj *o;
	long n = 0;

	while ((o = mailbox_pop(m))) {
		if (o->check != CHECK(o->id))
			atomic_fetch_add(&bad_check, 1);
		for (int i = 0; i < 2; i++) {
			kref_get(&o->ref);
			kref_put(&o->ref, obj_release);
		}
		kref_put(&o->ref, obj_release);
		n += 5;
	}
	return n;
}

static void *stress_thread(void *arg)
{
	unsigned int self = (unsigned int)(size_t)arg;
	long rounds = ROUNDS * strtol(getenv("KREF_STRESS_SCALE") ?
				      getenv("KREF_STRESS_SCALE") : "1", NULL, 10);
	long n = 0;

	pthread_barrier_wait(&start);
	for (long r = 0; r < rounds; r++) {
		struct obj *o = malloc(sizeof(*o));

		if (!o)
			abort();
		kref_init(&o->ref);
		o->id = (unsigned int)(r * THREADS + self);
		o->check = CHECK(o->id);
		atomic_fetch_add(&created, 1);
		for (unsigned int k = 1; k < THREADS; k++) {
			kref_get(&o->ref);	/* Rule 1: before the handoff */
			while (!mailbox_push(&mailbox[(self + k) % THREADS], o))
				n += drain(&mailbox[self]);	/* full: wait */
			atomic_fetch_add_explicit(&handoffs, 1,
						  memory_order_relaxed);
			n++;
		}
		kref_put(&o->ref, obj_release);
		n += drain(&mailbox[self]) + 1;
	}
	atomic_fetch_sub(&producing, 1);
	while (atomic_load(&producing) > 0)
		n += drain(&mailbox[self]);
	n += drain(&mailbox[self]);	/* nobody pushes any more */
	atomic_fetch_add(&ops, n);
	return NULL;
}

int main(void)
{
	pthread_t t[THREADS];

#ifdef KREF_DEBUG
	setenv("KREF_ABORT", "1", 1);
#endif
	capture_start();
	pthread_barrier_init(&start, NULL, THREADS);
	for (int i = 0; i < THREADS; i++)
		pthread_mutex_init(&mailbox[i].lock, NULL);
	for (size_t i = 0; i < THREADS; i++)
		pthread_create(&t[i], NULL, stress_thread, (void *)i);
	for (int i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);

	ok(atomic_load(&ops) >= 1000000, "%ld gets and puts from %d threads",
	   atomic_load(&ops), THREADS);
	is(atomic_load(&handoffs), (THREADS - 1) * atomic_load(&created),
	   "each object handed to the %d other threads", THREADS - 1);
	is(atomic_load(&released), atomic_load(&created),
	   "all %ld objects released, none leaked", atomic_load(&created));
	is(atomic_load(&bad_release), 0,
	   "each release ran at count 0 on an intact object");
	is(atomic_load(&bad_check), 0, "no thread saw a released object");
	is(capture_count(), 0, "no misuse reported");
#ifdef KREF_DEBUG
	is(kref_debug_report_leaks(), 0, "debug mode: no report, no leak");
#endif
	return done_testing();
}
