/* SPDX-License-Identifier: MIT */
/* Rule 1 with C11 threads: a worker that fails to start leaves the
 * reference taken for it behind (the loop just moves on). */
#include <stdio.h>
#include <stdlib.h>
#include <threads.h>
#include <kref.h>

struct shard {
	struct kref ref;
	int id;
	long sum;
};

static void shard_release(struct kref *ref)
{
	struct shard *s = container_of(ref, struct shard, ref);

	printf("shard %d: %ld\n", s->id, s->sum);
	free(s);
}

static int summer(void *arg)
{
	struct shard *s = arg;

	s->sum += s->id;
	kref_put(&s->ref, shard_release);
	return 0;
}

int sum_all(struct shard *s, thrd_t *t, int n)
{
	int started = 0;

	for (int i = 0; i < n; i++) {
		kref_get(&s->ref);
		if (thrd_create(&t[i], summer, s) != thrd_success)	/* expect: rule 1 */
			continue;
		started++;
	}
	return started;
}
