/* SPDX-License-Identifier: MIT */
/* Correct: in a loop, each worker's reference is taken before its thread
 * starts (the get of the next iteration follows the previous handoff, but
 * it is for the next thread). */
#include <pthread.h>
#include <stdlib.h>
#include <kref.h>

#define NWORKERS 4

struct matrix {
	struct kref kref;
	unsigned rows, cols;
	double *cells;
};

static void matrix_release(struct kref *kref)
{
	struct matrix *m = container_of(kref, struct matrix, kref);

	free(m->cells);
	free(m);
}

static void *row_worker(void *arg)
{
	struct matrix *m = arg;

	for (unsigned i = 0; i < m->cols; i++)
		m->cells[i] *= 2.0;
	kref_put(&m->kref, matrix_release);
	return NULL;
}

int scale_parallel(struct matrix *m)
{
	pthread_t tid[NWORKERS];
	int n = 0;

	for (int i = 0; i < NWORKERS; i++) {
		kref_get(&m->kref);
		if (pthread_create(&tid[n], NULL, row_worker, m) != 0) {
			kref_put(&m->kref, matrix_release);
			continue;
		}
		n++;
	}
	while (n-- > 0)
		pthread_join(tid[n], NULL);
	return 0;
}
