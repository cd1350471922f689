/* SPDX-License-Identifier: MIT */
/* Rule 1: when pthread_create fails the error label frees a buffer but
 * never puts the reference taken for the thread. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <kref.h>

struct scan { struct kref ref; char *buf; };
static void scan_release(struct kref *r) { struct scan *s = container_of(r, struct scan, ref); free(s->buf); free(s); }
static void *scanner(void *a) { struct scan *s = a; kref_put(&s->ref, scan_release); return NULL; }

int scan_async(struct scan *s)
{
	pthread_t tid;
	char *log = malloc(128);

	if (!log)
		return -1;
	kref_get(&s->ref);
	if (pthread_create(&tid, NULL, scanner, s)) {	/* expect: rule 1 */
		perror("pthread_create");
		goto fail;
	}
	free(log);
	return 0;
fail:
	free(log);
	return -1;
}
