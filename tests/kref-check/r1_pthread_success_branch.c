/* SPDX-License-Identifier: MIT */
/* Rule 1: the reference for the logger thread is taken in the success
 * branch of pthread_create, when the thread may already have dropped it. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <kref.h>

struct log_batch {
	struct kref ref;
	size_t nlines;
	char **lines;
};

static void batch_free(struct kref *ref)
{
	struct log_batch *b = container_of(ref, struct log_batch, ref);

	for (size_t i = 0; i < b->nlines; i++)
		free(b->lines[i]);
	free(b->lines);
	free(b);
}

static void *flush_thread(void *p)
{
	struct log_batch *b = p;

	for (size_t i = 0; i < b->nlines; i++)
		fputs(b->lines[i], stderr);
	kref_put(&b->ref, batch_free);
	return NULL;
}

int flush_async(struct log_batch *b, pthread_t *tid)
{
	int err = pthread_create(tid, NULL, flush_thread, b);

	if (err == 0) {
		kref_get(&b->ref);	/* expect: rule 1 */
		return 0;
	}
	fprintf(stderr, "flush: %d\n", err);
	return -1;
}
