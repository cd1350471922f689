/* SPDX-License-Identifier: MIT */
/*
 * test_final_put.c - the last put orders every holder's writes before the
 * release function.  Two threads write plain (non-atomic) fields and put;
 * whichever put is last runs a release that reads both.  Under TSan this is
 * a data race unless the final put's acquire is visible to TSan, which a
 * C11 fence is not: the TSan run of this test fails on a fence-only put.
 */
#include <stdlib.h>
#include <kref.h>
#include "capture.h"
#include "tap.h"

#define ROUNDS	2000

struct obj {
	struct kref ref;
	int written[2];		/* plain ints, one per thread */
};

static pthread_barrier_t barrier;
static atomic_int releases, complete_releases;

static void obj_release(struct kref *ref)
{
	struct obj *o = container_of(ref, struct obj, ref);

	if (o->written[0] == 1 && o->written[1] == 2)
		atomic_fetch_add(&complete_releases, 1);
	atomic_fetch_add(&releases, 1);
	free(o);
}

struct arg {
	struct obj *o;
	int slot;
};

static void *writer(void *p)
{
	struct arg *a = p;

	pthread_barrier_wait(&barrier);	/* both puts as close as can be */
	a->o->written[a->slot] = a->slot + 1;
	kref_put(&a->o->ref, obj_release);
	return NULL;
}

int main(void)
{
	capture_start();
	pthread_barrier_init(&barrier, NULL, 2);
	for (int i = 0; i < ROUNDS; i++) {
		struct obj *o = calloc(1, sizeof(*o));
		struct arg a[2] = { { o, 0 }, { o, 1 } };
		pthread_t t[2];

		if (!o)
			BAIL_OUT("out of memory");
		kref_init(&o->ref);
		kref_get(&o->ref);	/* one reference per writer */
		for (int k = 0; k < 2; k++)
			pthread_create(&t[k], NULL, writer, &a[k]);
		for (int k = 0; k < 2; k++)
			pthread_join(t[k], NULL);
	}
	is(atomic_load(&releases), ROUNDS, "%d objects released once each", ROUNDS);
	is(atomic_load(&complete_releases), ROUNDS,
	   "every release saw both threads' writes");
	is(capture_count(), 0, "no misuse reported");
	return done_testing();
}
