/* SPDX-License-Identifier: MIT */
/*
 * Project: nanomsg/nng
 * Path: src/core/socket.c
 * Fix commit: a8f0971d94e256a20ac440e175e146aef70b6185
 * Bug: nni_sock_find() takes its socket reference under the global
 * nni_sock_lk, but nni_sock_rele() drops references without that lock (the
 * original under the socket's own s_mx), so the final put is not serialized
 * against the lookup.
 */
#include <stdint.h>
#include <stdlib.h>
#include <pthread.h>
#include <kref.h>

#define NNG_ECLOSED 7

typedef struct nni_sock {
	uint32_t s_id;
	int s_closed;
	struct kref s_ref;		/* the id hash does not hold one */
	pthread_mutex_t s_mx;		/* protects pipes, endpoints, options */
} nni_sock;

/* protects nni_sock_hash and the closed flags */
static pthread_mutex_t nni_sock_lk = PTHREAD_MUTEX_INITIALIZER;

/* looks an id up in nni_sock_hash; caller holds nni_sock_lk; returns a
 * borrowed pointer or NULL */
extern nni_sock *nni_idhash_find(uint32_t id);
/* removes an id from nni_sock_hash; caller holds nni_sock_lk */
extern void nni_idhash_remove(uint32_t id);
/* stops pipes and endpoints, frees queues and the socket's memory */
extern void nni_sock_destroy(nni_sock *s);

static void nni_sock_release(struct kref *kref)
{
	nni_sock *s = container_of(kref, nni_sock, s_ref);

	pthread_mutex_lock(&nni_sock_lk);
	nni_idhash_remove(s->s_id);
	pthread_mutex_unlock(&nni_sock_lk);
	pthread_mutex_destroy(&s->s_mx);
	nni_sock_destroy(s);
}

int nni_sock_find(nni_sock **sockp, uint32_t id)
{
	nni_sock *s;
	int rv = NNG_ECLOSED;

	pthread_mutex_lock(&nni_sock_lk);
	if ((s = nni_idhash_find(id)) != NULL && !s->s_closed) {
		kref_get(&s->s_ref);
		*sockp = s;
		rv = 0;
	}
	pthread_mutex_unlock(&nni_sock_lk);
	return rv;
}

void nni_sock_rele(nni_sock *s)
{
	kref_put(&s->s_ref, nni_sock_release); /* expect: rule 3 */
}

void nni_sock_close(nni_sock *s)
{
	pthread_mutex_lock(&nni_sock_lk);
	if (s->s_closed) {
		/* some other thread called close; drop our reference */
		pthread_mutex_unlock(&nni_sock_lk);
		nni_sock_rele(s);
		return;
	}
	s->s_closed = 1;
	pthread_mutex_unlock(&nni_sock_lk);

	/* drop the reference the socket was created with */
	nni_sock_rele(s);
	/* and the one our caller got from nni_sock_find() */
	nni_sock_rele(s);
}
