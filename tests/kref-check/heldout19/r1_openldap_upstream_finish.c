/* SPDX-License-Identifier: MIT */
/*
 * Project: openldap/openldap
 * Path: servers/lloadd/upstream.c
 * Fix: b039e7c1b0580f68a77b28ffbde1ed1415734035
 * Bug: upstream_finish() hands the upstream connection to a thread pool
 * task (upstream_bind) without a reference; the task only takes one once
 * it runs, so the connection can be destroyed while the task is queued.
 */
#include <pthread.h>
#include <stdlib.h>
#include <kref.h>

typedef struct BerElement BerElement;
typedef int ber_int_t;

typedef struct LloadConnection LloadConnection;
typedef int (*LloadPduCb)(LloadConnection *c);

struct LloadConnection {
	pthread_mutex_t c_mutex;	/* protects the fields below */
	struct kref c_refcnt;		/* the live reference plus one per user */
	int c_live;			/* the live reference is still held */
	int c_state;
	LloadPduCb c_pdu_cb;
	pthread_mutex_t c_io_mutex;
	BerElement *c_pendingber;
	ber_int_t c_next_msgid;
	void *c_private;		/* the backend */
};

typedef void *(*ldap_pvt_thread_start_t)(void *ctx, void *arg);

extern void *connection_pool;

/* queues start(ctx, arg) to run later on a pool thread */
extern int ldap_pvt_thread_pool_submit(void *pool, ldap_pvt_thread_start_t start, void *arg);
/* allocates a BER encoder, or returns NULL */
extern BerElement *ber_alloc(void);
/* encodes the configured bind request into ber */
extern void upstream_bind_encode(BerElement *ber, ber_int_t msgid);
/* flushes c_pendingber to the socket; takes no reference */
extern void connection_write_cb(int s, short what, void *arg);
/* arms the read event of the connection */
extern void upstream_arm_read(LloadConnection *c);
/* handles the bind response */
extern int upstream_bind_cb(LloadConnection *c);
/* handles any other response */
extern int handle_one_response(LloadConnection *c);

static void connection_release(struct kref *kref)
{
	LloadConnection *c = container_of(kref, LloadConnection, c_refcnt);

	free(c);
}

/* called with c_mutex held: drops the live reference and unlocks */
static void connection_destroy(LloadConnection *c)
{
	int live = c->c_live;

	c->c_live = 0;
	pthread_mutex_unlock(&c->c_mutex);
	if (live)
		kref_put(&c->c_refcnt, connection_release);
}

void *upstream_bind(void *ctx, void *arg)
{
	LloadConnection *c = arg;
	BerElement *ber;
	ber_int_t msgid;

	(void)ctx;
	pthread_mutex_lock(&c->c_mutex);
	c->c_pdu_cb = upstream_bind_cb;
	kref_get(&c->c_refcnt);
	pthread_mutex_unlock(&c->c_mutex);

	pthread_mutex_lock(&c->c_io_mutex);
	ber = c->c_pendingber;
	if (ber == NULL && (ber = ber_alloc()) == NULL) {
		pthread_mutex_unlock(&c->c_io_mutex);
		pthread_mutex_lock(&c->c_mutex);
		connection_destroy(c);
		kref_put(&c->c_refcnt, connection_release);
		return NULL;
	}
	c->c_pendingber = ber;
	msgid = c->c_next_msgid++;
	upstream_bind_encode(ber, msgid);
	pthread_mutex_unlock(&c->c_io_mutex);

	connection_write_cb(-1, 0, c);

	pthread_mutex_lock(&c->c_mutex);
	upstream_arm_read(c);
	pthread_mutex_unlock(&c->c_mutex);
	kref_put(&c->c_refcnt, connection_release);

	return NULL;
}

/* The backend is locked by the caller; so is c->c_mutex. */
int upstream_finish(LloadConnection *c, int is_bindconn, int anonymous)
{
	int rc = 0;

	c->c_pdu_cb = handle_one_response;

	if (is_bindconn || anonymous) {
		c->c_state = 1;		/* ready: linked on the backend's lists */
	} else {
		rc = 1;
		ldap_pvt_thread_pool_submit(&connection_pool, upstream_bind, c); /* expect: rule 1 */
	}

	return rc;
}
