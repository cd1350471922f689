/* SPDX-License-Identifier: MIT */
/*
 * Project: nanomsg/nng
 * Path:    src/core/socket.c
 * Fix:     c0b93b441199619d27a1caf201a8c410f4246cf4
 * Bug:     nni_sock_setopt() keeps a copy of an NNG_OPT_TLS_CONFIG pointer in
 *          the socket's option list (applied to endpoints created later)
 *          without a hold on the TLS configuration, which the application
 *          may free right after setting the option.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <kref.h>

#define NNG_OPT_TLS_CONFIG "tls-config"
#define NNG_ECLOSED 7
#define NNG_ENOTSUP 9

typedef struct nng_tls_config {
	struct kref ref;
	void *engine_config;
} nng_tls_config;

typedef struct nni_sockopt {
	struct nni_sockopt *next;
	char *name;
	int typ;
	size_t sz;
	void *data;
} nni_sockopt;

typedef struct nni_sock {
	pthread_mutex_t s_mx;
	int s_closing;
	nni_sockopt *s_options;
} nni_sock;

/* Copies a pointer-typed option value into *dst when dst is not NULL. */
extern int nni_copyin_ptr(void **dst, const void *v, size_t sz, int t);
/* Handles the options the socket itself implements; NNG_ENOTSUP if not one. */
extern int nni_sock_own_setopt(nni_sock *s, const char *name, const void *v,
			       size_t sz, int t);
/* Applies the option to every existing dialer and listener (copies what it keeps). */
extern int nni_sock_apply_to_endpoints(nni_sock *s, const char *name,
				       const void *v, size_t sz, int t);
/* Allocates zeroed memory; aborts when out of memory. */
extern void *nni_zalloc(size_t sz);
/* Copies a string; aborts when out of memory. */
extern char *nni_strdup(const char *s);
/* Frees the engine side of a TLS configuration. */
extern void nni_tls_engine_config_fini(void *engine_config);

static void nni_tls_config_release(struct kref *ref)
{
	nng_tls_config *cfg = container_of(ref, nng_tls_config, ref);

	nni_tls_engine_config_fini(cfg->engine_config);
	free(cfg);
}

void nng_tls_config_hold(nng_tls_config *cfg)
{
	kref_get(&cfg->ref);
}

void nng_tls_config_free(nng_tls_config *cfg)
{
	kref_put(&cfg->ref, nni_tls_config_release);
}

static void nni_free_opt(nni_sockopt *opt)
{
	if (strcmp(opt->name, NNG_OPT_TLS_CONFIG) == 0 &&
	    opt->sz == sizeof(nng_tls_config *))
		nng_tls_config_free(*(nng_tls_config **)opt->data);
	free(opt->name);
	free(opt->data);
	free(opt);
}

int nni_sock_setopt(nni_sock *s, const char *name, const void *v, size_t sz,
		    int t)
{
	int rv;
	nni_sockopt *optv;
	nni_sockopt **pp;
	nni_sockopt *oldv = NULL;

	pthread_mutex_lock(&s->s_mx);
	if (s->s_closing) {
		pthread_mutex_unlock(&s->s_mx);
		return NNG_ECLOSED;
	}
	rv = nni_sock_own_setopt(s, name, v, sz, t);
	if (rv != NNG_ENOTSUP) {
		pthread_mutex_unlock(&s->s_mx);
		return rv;
	}
	pthread_mutex_unlock(&s->s_mx);

	/* Validation of options kept for the transports. */
	if (strcmp(name, NNG_OPT_TLS_CONFIG) == 0) {
		nng_tls_config *tc;

		if ((rv = nni_copyin_ptr((void **)&tc, v, sz, t)) != 0)
			return rv;
		/* place a hold on this configuration object */
		nng_tls_config_hold(tc);
	}

	/* Prepare a copy of the socket option. */
	optv = nni_zalloc(sizeof(*optv));
	optv->data = nni_zalloc(sz);
	optv->name = nni_strdup(name);
	memcpy(optv->data, v, sz);
	optv->sz = sz;
	optv->typ = t;

	pthread_mutex_lock(&s->s_mx);
	for (pp = &s->s_options; *pp != NULL; pp = &(*pp)->next) {
		if (strcmp((*pp)->name, name) == 0) {
			oldv = *pp;
			if (oldv->sz != sz || memcmp(oldv->data, v, sz) != 0)
				break;
			/* The same value: nothing to do. */
			pthread_mutex_unlock(&s->s_mx);
			nni_free_opt(optv);
			return 0;
		}
	}

	rv = nni_sock_apply_to_endpoints(s, optv->name, optv->data, sz, t);
	if (rv == 0) {
		/* Replace the old value; new endpoints get the stored one. */
		if (oldv != NULL) {
			*pp = oldv->next;
			nni_free_opt(oldv);
		}
		optv->next = s->s_options;
		s->s_options = optv;
	} else {
		nni_free_opt(optv);
	}
	pthread_mutex_unlock(&s->s_mx);
	return rv;
}
