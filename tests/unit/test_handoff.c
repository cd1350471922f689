/* SPDX-License-Identifier: MIT */
/*
 * test_handoff.c - Rule 1 as the seed writes it: take a reference before
 * handing the object to a new thread, put it back if the thread could not
 * be created.  pthread_create failures are injected by wrapping it
 * (-Wl,--wrap=pthread_create).
 *
 * Build: -Wl,--wrap=pthread_create
 */
#include <errno.h>
#include <stdlib.h>
#include <kref.h>
#include "capture.h"
#include "tap.h"

#include "fail_create.h"

struct data {
	struct kref ref;
	int value;
};

static atomic_int puts_done;	/* puts that have started, counted first */
static atomic_int releases;
static int puts_seen_by_release;

static void data_release(struct kref *ref)
{
	puts_seen_by_release = atomic_load(&puts_done);
	atomic_fetch_add(&releases, 1);
	free(container_of(ref, struct data, ref));
}

static void data_put(struct data *d)
{
	atomic_fetch_add(&puts_done, 1);
	kref_put(&d->ref, data_release);
}

static void *worker(void *arg)
{
	struct data *d = arg;

	if (d->value != 42)
		abort();
	data_put(d);
	return NULL;
}

/* The seed's pattern: get before the handoff, put on the failure path. */
static int start_worker(struct data *d, pthread_t *t)
{
	int err;

	kref_get(&d->ref);
	err = pthread_create(t, NULL, worker, d);
	if (err) {
		data_put(d);
		return -err;
	}
	return 0;
}

static struct data *new_data(void)
{
	struct data *d = malloc(sizeof(*d));

	if (!d)
		BAIL_OUT("out of memory");
	kref_init(&d->ref);
	d->value = 42;
	atomic_store(&puts_done, 0);
	atomic_store(&releases, 0);
	return d;
}

static void test_handoff_success(void)
{
	struct data *d = new_data();
	pthread_t t[3];
	int started = 0;

	capture_start();
	for (int i = 0; i < 3; i++)
		started += start_worker(d, &t[i]) == 0;
	is(started, 3, "three workers started, each with its own reference");
	data_put(d);
	for (int i = 0; i < 3; i++)
		pthread_join(t[i], NULL);
	is(atomic_load(&releases), 1, "release ran exactly once");
	is(puts_seen_by_release, 4, "after the last of the four puts");
	is(capture_count(), 0, "no misuse reported");
}

static void test_handoff_failure(void)
{
	struct data *d = new_data();
	pthread_t t;

	capture_start();
	fail_creates = 1;
	is(start_worker(d, &t), -EAGAIN, "pthread_create failure is returned");
	is(kref_read(&d->ref), 1, "the handed-off reference was put back");
	is(atomic_load(&releases), 0, "the object is still alive");
	data_put(d);
	is(atomic_load(&releases), 1, "the owner's put releases it, once");
	is(capture_count(), 0, "no misuse reported");
}

static void test_handoff_mixed(void)
{
	struct data *d = new_data();
	pthread_t t[4];
	int ok_started[4];

	fail_creates = 0;
	for (int i = 0; i < 4; i++) {
		fail_creates = i % 2;	/* every other create fails */
		ok_started[i] = start_worker(d, &t[i]) == 0;
	}
	data_put(d);
	for (int i = 0; i < 4; i++)
		if (ok_started[i])
			pthread_join(t[i], NULL);
	is(atomic_load(&releases), 1, "mixed failures: release ran exactly once");
	is(puts_seen_by_release, 5, "after all five puts (two on failure paths)");
}

int main(void)
{
	test_handoff_success();
	test_handoff_failure();
	test_handoff_mixed();
	return done_testing();
}
