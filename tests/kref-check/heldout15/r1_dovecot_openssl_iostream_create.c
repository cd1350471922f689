/* SPDX-License-Identifier: MIT */
/*
 * Project: dovecot/core
 * Path:    src/lib-ssl-iostream/iostream-openssl.c
 * Fix:     3c376d8f5e41c5decd6379a1068a95c3f0738770
 * Bug: openssl_iostream_create() keeps the SSL context in the new stream's
 * ssl_io->ctx without referencing it, so the context can be freed while
 * streams created from it are still alive.
 */
#include <stdlib.h>
#include <kref.h>

typedef struct ssl_ctx_st SSL_CTX;
typedef struct ssl_st SSL;

struct ssl_iostream_context {
	struct kref refcount;
	SSL_CTX *ssl_ctx;
};

struct ssl_iostream {
	struct kref refcount;
	struct ssl_iostream_context *ctx;
	SSL *ssl;
	char *connected_host;
};

/* creates an SSL connection object from the context's SSL_CTX */
extern SSL *SSL_new(SSL_CTX *ctx);
/* frees an SSL connection object */
extern void SSL_free(SSL *ssl);
/* returns a malloc()ed copy of str */
extern char *i_strdup(const char *str);

static void openssl_iostream_context_free(struct kref *ref)
{
	struct ssl_iostream_context *ctx =
		container_of(ref, struct ssl_iostream_context, refcount);

	free(ctx);
}

void ssl_iostream_context_ref(struct ssl_iostream_context *ctx)
{
	kref_get(&ctx->refcount);
}

void ssl_iostream_context_unref(struct ssl_iostream_context **_ctx)
{
	struct ssl_iostream_context *ctx = *_ctx;

	*_ctx = NULL;
	kref_put(&ctx->refcount, openssl_iostream_context_free);
}

static void openssl_iostream_free(struct ssl_iostream *ssl_io)
{
	SSL_free(ssl_io->ssl);
	free(ssl_io->connected_host);
	free(ssl_io);
}

static void openssl_iostream_release(struct kref *ref)
{
	openssl_iostream_free(container_of(ref, struct ssl_iostream, refcount));
}

void openssl_iostream_unref(struct ssl_iostream *ssl_io)
{
	kref_put(&ssl_io->refcount, openssl_iostream_release);
}

int openssl_iostream_create(struct ssl_iostream_context *ctx, const char *host,
			    struct ssl_iostream **iostream_r)
{
	struct ssl_iostream *ssl_io;
	SSL *ssl;

	ssl = SSL_new(ctx->ssl_ctx);
	if (ssl == NULL)
		return -1;

	ssl_io = calloc(1, sizeof(*ssl_io));
	if (ssl_io == NULL) {
		SSL_free(ssl);
		return -1;
	}
	kref_init(&ssl_io->refcount);
	ssl_io->ctx = ctx; /* expect: rule 1 */
	ssl_io->ssl = ssl;
	ssl_io->connected_host = i_strdup(host);

	*iostream_r = ssl_io;
	return 0;
}
