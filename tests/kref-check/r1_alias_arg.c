/* SPDX-License-Identifier: MIT */
/* Rule 1 through an alias: the thread receives 'arg', an alias of 'conn',
 * and the reference on 'conn' is taken after the thread started. */
#include <pthread.h>
#include <stdlib.h>
#include <kref.h>

struct conn {
	struct kref refs;
	int sock;
	pthread_t pump;
};

static void conn_release(struct kref *refs)
{
	struct conn *c = container_of(refs, struct conn, refs);

	free(c);
}

static void *pump_main(void *arg)
{
	struct conn *c = arg;

	c->sock = -1;
	kref_put(&c->refs, conn_release);
	return NULL;
}

int conn_start_pump(struct conn *conn)
{
	void *arg = conn;
	int rc;

	rc = pthread_create(&conn->pump, NULL, pump_main, arg);
	if (rc != 0)
		return rc;
	kref_get(&conn->refs);	/* expect: rule 1 */
	return 0;
}
