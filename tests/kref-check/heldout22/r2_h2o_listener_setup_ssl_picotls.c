/* SPDX-License-Identifier: MIT */
/*
 * Project: h2o/h2o
 * Path: src/main.c
 * Fix commit: 7551c5a7aa82115a17392c6259a596d3c6950b8f
 * Bug: listener_setup_ssl_picotls() took a reference on the certificate
 * (X509_up_ref) so that it outlives the fake SSL connection, loaded it into
 * the picotls context (which keeps a DER copy) and returned without X509_free.
 */
#include <stddef.h>
#include <stdlib.h>
#include <kref.h>

typedef struct X509 {
	struct kref references;
} X509;

typedef struct SSL SSL;
typedef struct SSL_CTX SSL_CTX;
typedef struct EVP_PKEY EVP_PKEY;
typedef struct STACK_OF_X509 STACK_OF_X509;

typedef struct ptls_context_t {
	int require_client_authentication;
	void *sign_certificate;
} ptls_context_t;

struct listener_ssl_identity_t {
	SSL_CTX *ossl;
	ptls_context_t *ptls_ctx;
};

/* a new SSL on ctx, one reference */
extern SSL *SSL_new(SSL_CTX *ctx);
/* drops the SSL (and, with BoringSSL, its certificate with it) */
extern void SSL_free(SSL *ssl);
/* the SSL's private key: a borrowed pointer */
extern EVP_PKEY *SSL_get_privatekey(const SSL *ssl);
/* the SSL's certificate: a borrowed pointer, owned by the SSL */
extern X509 *SSL_get_certificate(const SSL *ssl);
/* nonzero if the SSL verifies its peer */
extern int SSL_get_verify_peer(const SSL *ssl);
/* the context's extra chain certificates: a borrowed pointer */
extern void SSL_CTX_get_extra_chain_certs(SSL_CTX *ctx, STACK_OF_X509 **chain);
/* sets up the signer for key (takes its own key reference); 0 on success */
extern int ptls_openssl_init_sign_certificate(ptls_context_t *ctx, EVP_PKEY *key);
/* stores DER copies of cert and chain in ctx; keeps no reference on cert; 0 on success */
extern int ptls_openssl_load_certificates(ptls_context_t *ctx, X509 *cert, STACK_OF_X509 *chain);
/* frees the certificate's data */
extern void x509_free_contents(X509 *x509);

static void x509_release(struct kref *ref)
{
	X509 *x509 = container_of(ref, X509, references);

	x509_free_contents(x509);
	free(x509);
}

static int X509_up_ref(X509 *x509)
{
	kref_get(&x509->references);
	return 1;
}

void X509_free(X509 *x509)
{
	if (x509)
		kref_put(&x509->references, x509_release);
}

const char *listener_setup_ssl_picotls(struct listener_ssl_identity_t *identity)
{
	ptls_context_t *pctx = calloc(1, sizeof(*pctx));
	EVP_PKEY *key;
	X509 *cert;
	STACK_OF_X509 *cert_chain;
	int use_client_verify;
	int ret;

	if (!pctx)
		return "out of memory";

	{ /* obtain key and cert (via fake connection for libressl compatibility) */
		SSL *fakeconn = SSL_new(identity->ossl);
		key = SSL_get_privatekey(fakeconn);
		cert = SSL_get_certificate(fakeconn);
		X509_up_ref(cert); /* boringssl frees it when SSL_free is called */
		use_client_verify = SSL_get_verify_peer(fakeconn);
		SSL_free(fakeconn);
	}

	pctx->require_client_authentication = use_client_verify;

	/* create signer */
	ret = ptls_openssl_init_sign_certificate(pctx, key);

	/* setup X.509 certificates */
	SSL_CTX_get_extra_chain_certs(identity->ossl, &cert_chain);
	ret |= ptls_openssl_load_certificates(pctx, cert, cert_chain);
	(void)ret;

	identity->ptls_ctx = pctx;

	return NULL; /* expect: rule 2 */
}
