/* SPDX-License-Identifier: MIT */
/* Rule 1 in a loop: each worker is started first and its reference taken
 * afterwards.  (The correct loop gets first: see ok_loop_get_before.c.) */
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
	int n;

	for (n = 0; n < NWORKERS; n++) {
		if (pthread_create(&tid[n], NULL, row_worker, m))
			break;
		kref_get(&m->kref);	/* expect: rule 1 */
	}
	while (n-- > 0)
		pthread_join(tid[n], NULL);
	return 0;
}
