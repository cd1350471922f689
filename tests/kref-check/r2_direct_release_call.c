/* SPDX-License-Identifier: MIT */
/* Rule 2: shutting down, the owner calls the release function itself
 * instead of putting its reference; a reader still holding one then uses
 * freed memory. */
#include <pthread.h>
#include <stdlib.h>
#include <kref.h>

struct ring {
	struct kref kref;
	unsigned head, tail;
	int slots[256];
};

static void ring_release(struct kref *kref)
{
	struct ring *r = container_of(kref, struct ring, kref);

	free(r);
}

static void *reader(void *arg)
{
	struct ring *r = arg;

	while (r->tail != r->head)
		r->tail++;
	kref_put(&r->kref, ring_release);
	return NULL;
}

int run(void)
{
	struct ring *r = calloc(1, sizeof(*r));
	pthread_t t;

	if (!r)
		return 1;
	kref_init(&r->kref);
	kref_get(&r->kref);
	if (pthread_create(&t, NULL, reader, r) != 0) {
		kref_put(&r->kref, ring_release);
		kref_put(&r->kref, ring_release);
		return 1;
	}
	r->head = 10;
	ring_release(&r->kref);	/* expect: rule 2 */
	pthread_join(t, NULL);
	return 0;
}
