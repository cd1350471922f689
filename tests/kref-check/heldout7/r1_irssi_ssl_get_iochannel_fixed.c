/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (not a copy) of a refcount bug fixed in irssi.
 *
 * Repository: irssi/irssi
 * Commit:     96d5a4669d696d57a511119963ae5c651346e167
 * Title:      "Increment the X509_STORE refcount during the connection"
 * Path:       src/core/network-openssl.c
 * Function:   irssi_ssl_get_iochannel()
 *
 * irssi keeps one process-wide X509_STORE (loaded once from the system CA
 * paths) and hands it to every new SSL_CTX with SSL_CTX_set_cert_store().
 * That call does not take a reference: the SSL_CTX adopts the pointer and
 * SSL_CTX_free() drops one.  So the first connection that goes away frees
 * the shared store, and the next connection uses freed memory.  Fixed by
 * X509_STORE_up_ref(store) before handing it to the context.
 *
 * The X509_STORE's count is modelled with a struct kref.
 */
#include <stdlib.h>
#include <kref.h>

typedef struct x509_store_st {
	struct kref references;
	void *objs;
} X509_STORE;

typedef struct ssl_ctx_st {
	X509_STORE *cert_store;		/* owns one reference */
	int options;
} SSL_CTX;

static void x509_store_release(struct kref *kref)
{
	X509_STORE *store = container_of(kref, X509_STORE, references);

	free(store->objs);
	free(store);
}

static int X509_STORE_up_ref(X509_STORE *store)
{
	kref_get(&store->references);
	return 1;
}

static void X509_STORE_free(X509_STORE *store)
{
	if (store)
		kref_put(&store->references, x509_store_release);
}

static SSL_CTX *SSL_CTX_new(void)
{
	return calloc(1, sizeof(SSL_CTX));
}

/* adopts the caller's reference: frees the old store, keeps the new one */
static void SSL_CTX_set_cert_store(SSL_CTX *ctx, X509_STORE *store)
{
	X509_STORE_free(ctx->cert_store);
	ctx->cert_store = store;
}

static void SSL_CTX_free(SSL_CTX *ctx)
{
	X509_STORE_free(ctx->cert_store);
	free(ctx);
}

/* loaded once in irssi_ssl_init(); the module keeps this reference */
static X509_STORE *store;

typedef struct {
	SSL_CTX *ctx;
	int fd;
} GIOSSLChannel;

/* 1 when the server record names its own CA file or path */
extern int server_has_own_ca(int port);
extern int ssl_ctx_load_verify_locations(SSL_CTX *ctx, int port);

static GIOSSLChannel *irssi_ssl_get_iochannel(int handle, int port)
{
	GIOSSLChannel *chan;
	SSL_CTX *ctx;

	ctx = SSL_CTX_new();
	if (ctx == NULL)
		return NULL;

	if (server_has_own_ca(port)) {
		if (!ssl_ctx_load_verify_locations(ctx, port)) {
			SSL_CTX_free(ctx);
			return NULL;
		}
	} else if (store != NULL) {
		/*
		 * Make sure to take a reference every time the store is used:
		 * SSL_CTX_free() drops one when the context goes.
		 */
		X509_STORE_up_ref(store);
		SSL_CTX_set_cert_store(ctx, store);
	}

	chan = calloc(1, sizeof(*chan));
	if (chan == NULL) {
		SSL_CTX_free(ctx);
		return NULL;
	}
	chan->ctx = ctx;
	chan->fd = handle;
	return chan;
}

/* the channel's close: SSL_CTX_free() drops the context's store reference */
static void irssi_ssl_free(GIOSSLChannel *chan)
{
	SSL_CTX_free(chan->ctx);
	free(chan);
}

int irssi_ssl_init(void)
{
	store = calloc(1, sizeof(*store));
	if (store == NULL)
		return 0;
	kref_init(&store->references);
	return 1;
}

int main(void)
{
	GIOSSLChannel *a, *b;

	if (!irssi_ssl_init())
		return 1;
	a = irssi_ssl_get_iochannel(3, 6697);
	if (a)
		irssi_ssl_free(a);
	b = irssi_ssl_get_iochannel(4, 6697);
	if (b)
		irssi_ssl_free(b);
	X509_STORE_free(store);
	return 0;
}
