/* SPDX-License-Identifier: MIT */
/* Rule 1 with C11 threads: thrd_create's status kept in a variable, and
 * the failure return leaks the reference. */
#include <stdlib.h>
#include <threads.h>
#include <kref.h>

typedef struct stream { struct kref refs; int fd; } stream_t;
static void stream_release(struct kref *r) { free(container_of(r, stream_t, refs)); }
static int pump(void *arg) { stream_t *st = arg; kref_put(&st->refs, stream_release); return 0; }

int stream_start(stream_t *st, thrd_t *th)
{
	int rc;

	kref_get(&st->refs);
	rc = thrd_create(th, pump, st);	/* expect: rule 1 */
	if (rc != thrd_success)
		return rc;
	return 0;
}
