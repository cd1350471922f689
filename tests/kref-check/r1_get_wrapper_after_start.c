/* SPDX-License-Identifier: MIT */
/* Rule 1: a get wrapper called after pthread_create succeeded; the correct
 * order below. */
#include <pthread.h>
#include <stdlib.h>
#include <kref.h>

struct req { struct kref ref; int done; };
static void req_release(struct kref *ref) { free(container_of(ref, struct req, ref)); }
static void take_ref(struct req *r) { kref_get(&r->ref); }
static void drop_ref(struct req *r) { kref_put(&r->ref, req_release); }
static void *serve(void *arg) { struct req *r = arg; r->done = 1; drop_ref(r); return NULL; }

int serve_async(struct req *r)
{
	pthread_t t;
	int rc = pthread_create(&t, NULL, serve, r);

	if (rc)
		return rc;
	take_ref(r);	/* expect: rule 1 */
	pthread_detach(t);
	return 0;
}

/* Correct: the reference for the thread, then the thread. */
int serve_async_ok(struct req *r)
{
	pthread_t t;
	int rc;

	take_ref(r);
	rc = pthread_create(&t, NULL, serve, r);
	if (rc) {
		drop_ref(r);
		return rc;
	}
	pthread_detach(t);
	return 0;
}
