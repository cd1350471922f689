/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: nginx/nginx commit
 * d748ebb148026e4646c82ff318d6a9a359e7bfe1 "OCSP: fixed certificate
 * reference leak.", src/event/ngx_event_openssl_stapling.c,
 * ngx_ssl_ocsp_validate().  SSL_get_peer_certificate() returns the client
 * certificate with a new reference.  ngx_ssl_ocsp_validate() uses it to
 * build the chain and never frees it: neither on the error returns nor on
 * the way to ngx_ssl_ocsp_validate_next().  The fix adds X509_free(cert)
 * before each return and after the chain is built.  X509's references
 * are written with a kref.
 */
#include <stdlib.h>
#include <kref.h>

#define NGX_OK 0
#define NGX_ERROR -1
#define NGX_AGAIN -2
typedef long ngx_int_t;

typedef struct { struct kref references; } X509;
typedef struct x509_store_ctx_st X509_STORE_CTX;
typedef struct x509_store_st X509_STORE;
typedef struct stack_st_X509 STACK_OF_X509;
typedef struct ssl_st SSL;

typedef struct { ngx_int_t status; STACK_OF_X509 *certs; } ngx_ssl_ocsp_t;
typedef struct { SSL *connection; ngx_ssl_ocsp_t *ocsp; unsigned in_ocsp:1; } ngx_ssl_connection_t;
typedef struct { ngx_ssl_connection_t *ssl; void *pool; } ngx_connection_t;

/* The peer's certificate with a new reference for the caller, or NULL. */
extern X509 *SSL_get_peer_certificate(const SSL *s);
/* Nonzero if OCSP validation is configured for this connection's SSL_CTX. */
extern int ngx_ssl_ocsp_configured(ngx_connection_t *c);
/* Zeroed memory from the connection's pool, or NULL. */
extern void *ngx_pcalloc(void *pool, size_t size);
/* SSL_CTX_get_cert_store() of the connection's SSL_CTX, or NULL. */
extern X509_STORE *ngx_ssl_cert_store(ngx_connection_t *c);
extern X509_STORE_CTX *X509_STORE_CTX_new(void);
extern void X509_STORE_CTX_free(X509_STORE_CTX *ctx);
/* Both take their own reference on cert if they keep it; 1 on success. */
extern int X509_STORE_CTX_init(X509_STORE_CTX *ctx, X509_STORE *store, X509 *cert, STACK_OF_X509 *chain);
extern int X509_verify_cert(X509_STORE_CTX *ctx);
/* The verified chain with its own references, or NULL. */
extern STACK_OF_X509 *X509_STORE_CTX_get1_chain(X509_STORE_CTX *ctx);
extern STACK_OF_X509 *SSL_get_peer_cert_chain(const SSL *s);
/* Starts the OCSP requests for ocsp->certs. */
extern void ngx_ssl_ocsp_validate_next(ngx_connection_t *c);

static void x509_free_cb(struct kref *ref)
{
	free(container_of(ref, X509, references));
}

void X509_free(X509 *x)
{
	if (x)
		kref_put(&x->references, x509_free_cb);
}

ngx_int_t ngx_ssl_ocsp_validate(ngx_connection_t *c)
{
	X509 *cert;
	X509_STORE *store;
	X509_STORE_CTX *store_ctx;
	ngx_ssl_ocsp_t *ocsp;

	if (!ngx_ssl_ocsp_configured(c))
		return NGX_OK;

	cert = SSL_get_peer_certificate(c->ssl->connection);
	if (cert == NULL)
		return NGX_OK;

	ocsp = ngx_pcalloc(c->pool, sizeof(ngx_ssl_ocsp_t));
	if (ocsp == NULL) {
		return NGX_ERROR; /* expect: rule 2 */
	}
	c->ssl->ocsp = ocsp;
	ocsp->status = NGX_AGAIN;

	store = ngx_ssl_cert_store(c);
	if (store == NULL) {
		return NGX_ERROR;
	}
	store_ctx = X509_STORE_CTX_new();
	if (store_ctx == NULL) {
		return NGX_ERROR;
	}
	if (X509_STORE_CTX_init(store_ctx, store, cert, SSL_get_peer_cert_chain(c->ssl->connection)) == 0) {
		X509_STORE_CTX_free(store_ctx);
		return NGX_ERROR;
	}
	if (X509_verify_cert(store_ctx) <= 0) {
		X509_STORE_CTX_free(store_ctx);
		return NGX_ERROR;
	}
	ocsp->certs = X509_STORE_CTX_get1_chain(store_ctx);
	if (ocsp->certs == NULL) {
		X509_STORE_CTX_free(store_ctx);
		return NGX_ERROR;
	}
	X509_STORE_CTX_free(store_ctx);

	ngx_ssl_ocsp_validate_next(c);

	if (ocsp->status == NGX_AGAIN) {
		c->ssl->in_ocsp = 1;
		return NGX_AGAIN;
	}
	return NGX_OK;
}
