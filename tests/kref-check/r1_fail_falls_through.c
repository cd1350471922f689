/* SPDX-License-Identifier: MIT */
/* Rule 1: the failure branch only logs and falls through; the thread's
 * reference is never put. Exiting the process instead is fine. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <kref.h>

struct sample { struct kref ref; double v; };
static void sample_release(struct kref *r) { free(container_of(r, struct sample, ref)); }
static void *analyse(void *a) { struct sample *s = a; s->v *= 2; kref_put(&s->ref, sample_release); return NULL; }

void analyse_async(struct sample *s)
{
	pthread_t t;

	kref_get(&s->ref);
	if (pthread_create(&t, NULL, analyse, s) != 0)	/* expect: rule 1 */
		fprintf(stderr, "cannot start the analysis\n");
	else
		pthread_detach(t);
}

void analyse_or_die(struct sample *s)
{
	pthread_t t;

	kref_get(&s->ref);
	if (pthread_create(&t, NULL, analyse, s) != 0) {
		perror("pthread_create");
		exit(1);
	}
	pthread_detach(t);
}
