/* SPDX-License-Identifier: MIT */
/* Rule 1: the reference is taken by a wrapper in the else branch of
 * pthread_create, after the thread started. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <kref.h>

struct ctx { struct kref kref; int n; };

static void ctx_free(struct kref *k) { free(container_of(k, struct ctx, kref)); }
static void ctx_ref(struct ctx *c) { kref_get(&c->kref); }
static void ctx_unref(struct ctx *c) { kref_put(&c->kref, ctx_free); }

static void *run(void *p) { struct ctx *c = p; c->n++; ctx_unref(c); return NULL; }

int spawn(struct ctx *c)
{
	pthread_t tid;

	if (pthread_create(&tid, NULL, run, c) != 0) {
		perror("pthread_create");
		return -1;
	} else {
		ctx_ref(c);	/* expect: rule 1 */
	}
	pthread_detach(tid);
	return 0;
}
