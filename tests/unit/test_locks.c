/* SPDX-License-Identifier: MIT */
/*
 * test_locks.c - refcount_dec_and_{mutex_,}lock and kref_put_{mutex,lock}:
 * the lock is held exactly when the count reached 0, and lookups under the
 * lock (Rule 3) never obtain an object whose release has begun.
 */
#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <kref.h>
#include "capture.h"
#include "tap.h"

static pthread_mutex_t mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_spinlock_t spin;

/* trylock from the owning thread: EBUSY means we hold it. */
static int mutex_held(void)
{
	if (pthread_mutex_trylock(&mutex) == EBUSY)
		return 1;
	pthread_mutex_unlock(&mutex);
	return 0;
}

static int spin_held(void)
{
	if (pthread_spin_trylock(&spin) == EBUSY)
		return 1;
	pthread_spin_unlock(&spin);
	return 0;
}

static void test_dec_and_lock(void)
{
	refcount_t r = REFCOUNT_INIT(2);

	capture_start();
	ok(!refcount_dec_and_mutex_lock(&r, &mutex), "mutex: 2 -> 1 returns false");
	ok(!mutex_held() && refcount_read(&r) == 1, "  without the lock, count 1");
	ok(refcount_dec_and_mutex_lock(&r, &mutex), "mutex: 1 -> 0 returns true");
	ok(mutex_held() && refcount_read(&r) == 0, "  with the lock held, count 0");
	pthread_mutex_unlock(&mutex);

	refcount_set(&r, 2);
	ok(!refcount_dec_and_lock(&r, &spin), "spinlock: 2 -> 1 returns false");
	ok(!spin_held() && refcount_read(&r) == 1, "  without the lock, count 1");
	ok(refcount_dec_and_lock(&r, &spin), "spinlock: 1 -> 0 returns true");
	ok(spin_held() && refcount_read(&r) == 0, "  with the lock held, count 0");
	pthread_spin_unlock(&spin);
	is(capture_count(), 0, "no reports");

	refcount_set(&r, 0);
	ok(!refcount_dec_and_mutex_lock(&r, &mutex), "mutex: on 0 returns false");
	ok(!mutex_held(), "  without the lock");
	is(captured_type, REFCOUNT_SUB_UAF, "  reports REFCOUNT_SUB_UAF");
	is((int)refcount_read(&r), REFCOUNT_SATURATED, "  and saturates");
	ok(!refcount_dec_and_lock(&r, &spin), "spinlock: on saturated returns false");
	ok(!spin_held(), "  without the lock");
	is(capture_count(), 1, "  not reported again: it stays saturated, as the kernel's");
	is((int)refcount_read(&r), REFCOUNT_SATURATED, "  and saturated");
}

struct obj {
	struct kref ref;
	atomic_int dying;	/* set by release, under the lock */
	int payload;		/* written once, before publication */
};

enum lock_kind { MUTEX, SPIN };

static enum lock_kind kind;
static struct obj *global;	/* protected by the lock of @kind */
static atomic_int releases, dying_seen, bad_payload;

static void lock(void)
{
	if (kind == MUTEX)
		pthread_mutex_lock(&mutex);
	else
		pthread_spin_lock(&spin);
}

static void unlock(void)
{
	if (kind == MUTEX)
		pthread_mutex_unlock(&mutex);
	else
		pthread_spin_unlock(&spin);
}

/* Called with the lock held by the final put: unpublish, unlock, free. */
static void obj_release(struct kref *ref)
{
	struct obj *o = container_of(ref, struct obj, ref);

	atomic_store(&o->dying, 1);
	if (global == o)
		global = NULL;
	unlock();
	free(o);
	atomic_fetch_add(&releases, 1);
}

static void put(struct obj *o)
{
	if (kind == MUTEX)
		kref_put_mutex(&o->ref, obj_release, &mutex);
	else
		kref_put_lock(&o->ref, obj_release, &spin);
}

/* Rule 3: find and get under the same lock the final put takes. */
static struct obj *lookup(void)
{
	struct obj *o;

	lock();
	o = global;
	if (o) {
		kref_get(&o->ref);
		if (atomic_load(&o->dying))
			atomic_fetch_add(&dying_seen, 1);
	}
	unlock();
	return o;
}

#define OBJECTS		10000
#define LOOKUPS		3

static atomic_int stop;

static void *lookup_thread(void *arg)
{
	(void)arg;
	while (!atomic_load(&stop)) {
		struct obj *o = lookup();

		if (!o)
			continue;
		if (o->payload != 42)	/* and ASan catches it if o was freed */
			atomic_fetch_add(&bad_payload, 1);
		put(o);
	}
	return NULL;
}

/* Publishes objects one by one and drops its own reference at once, so the
 * final put races with lookups; waits for each release before the next. */
static void race(enum lock_kind k)
{
	pthread_t t[LOOKUPS];

	kind = k;
	atomic_store(&stop, 0);
	atomic_store(&releases, 0);
	atomic_store(&dying_seen, 0);
	atomic_store(&bad_payload, 0);
	capture_start();
	for (int i = 0; i < LOOKUPS; i++)
		pthread_create(&t[i], NULL, lookup_thread, NULL);
	for (int i = 0; i < OBJECTS; i++) {
		struct obj *o = calloc(1, sizeof(*o));

		if (!o)
			BAIL_OUT("out of memory");
		kref_init(&o->ref);
		o->payload = 42;
		lock();
		global = o;
		unlock();
		put(o);
		while (atomic_load(&releases) <= i)
			sched_yield();
	}
	atomic_store(&stop, 1);
	for (int i = 0; i < LOOKUPS; i++)
		pthread_join(t[i], NULL);

	is(atomic_load(&releases), OBJECTS, "%s: every object released once",
	   k == MUTEX ? "kref_put_mutex" : "kref_put_lock");
	is(atomic_load(&dying_seen), 0, "  no lookup got an object being released");
	is(atomic_load(&bad_payload), 0, "  every lookup saw a live object");
	is(capture_count(), 0, "  no get on a zero count (no report)");
}

int main(void)
{
	pthread_spin_init(&spin, PTHREAD_PROCESS_PRIVATE);
	test_dec_and_lock();
	race(MUTEX);
	race(SPIN);
	pthread_spin_destroy(&spin);
	return done_testing();
}
