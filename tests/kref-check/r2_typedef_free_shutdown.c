/* SPDX-License-Identifier: MIT */
/* Rule 2 with a typedef'd object: shutdown frees the shared state that the
 * worker threads still reference, instead of putting the main reference. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <kref.h>

typedef struct shared_state {
	struct kref kref;
	atomic_int stop;
	long counter;
} shared_state_t;

static void state_release(struct kref *kref)
{
	shared_state_t *st = container_of(kref, shared_state_t, kref);

	free(st);
}

static void *worker(void *arg)
{
	shared_state_t *st = arg;

	while (!atomic_load(&st->stop))
		st->counter++;
	kref_put(&st->kref, state_release);
	return NULL;
}

int main(void)
{
	shared_state_t *st = calloc(1, sizeof(*st));
	pthread_t t[2];

	if (!st)
		return 1;
	kref_init(&st->kref);
	for (int i = 0; i < 2; i++) {
		kref_get(&st->kref);
		if (pthread_create(&t[i], NULL, worker, st) != 0) {
			kref_put(&st->kref, state_release);
			break;
		}
	}
	atomic_store(&st->stop, 1);
	free(st);	/* expect: rule 2 */
	return 0;
}
