/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: circonus-labs/libmtev commit
 * 40629f026c31d13ec8776739d14ad226f1c26321 "Fix A Busted Reference Count
 * In Eventer SSL Code" (PR #68), src/eventer/eventer_SSL_fd_opset.c,
 * ssl_ctx_cache_set() and eventer_ssl_ctx_new().  When two threads build
 * the same SSL_CTX, ssl_ctx_cache_set() finds the other one's node in the
 * cache, drops the caller's new node itself and returns the cached one
 * (with a reference for the caller); eventer_ssl_ctx_new() then sees a
 * different node and drops its new node again: a double put of a node
 * whose only reference is gone.  The fix removes the put in
 * ssl_ctx_cache_set().  ssl_ctx_cache_node's refcnt written here with
 * struct kref.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <kref.h>

typedef struct ssl_ctx_st SSL_CTX;
typedef struct mtev_hash_table mtev_hash_table;

typedef struct {
	char *key;
	SSL_CTX *internal_ssl_ctx;
	time_t creation_time;
	struct kref refcnt;
} ssl_ctx_cache_node;

typedef struct {
	ssl_ctx_cache_node *ssl_ctx_cn;
	SSL_CTX *ssl_ctx;
} eventer_ssl_ctx_t;

static pthread_mutex_t ssl_ctx_cache_lock = PTHREAD_MUTEX_INITIALIZER;
extern mtev_hash_table ssl_ctx_cache;	/* the cache holds one reference per node */

/* 1 and *vnode set if key is in the table. */
int mtev_hash_retrieve(mtev_hash_table *h, const char *k, int klen, void **vnode);
int mtev_hash_store(mtev_hash_table *h, const char *k, int klen, void *data);
SSL_CTX *SSL_CTX_new_for(const char *certificate, const char *key, const char *ca);
void SSL_CTX_free(SSL_CTX *ctx);

static void ssl_ctx_cache_node_release(struct kref *kref)
{
	ssl_ctx_cache_node *node = container_of(kref, ssl_ctx_cache_node, refcnt);

	SSL_CTX_free(node->internal_ssl_ctx);
	free(node->key);
	free(node);
}

static void ssl_ctx_cache_node_free(ssl_ctx_cache_node *node)
{
	if (!node)
		return;
	kref_put(&node->refcnt, ssl_ctx_cache_node_release);
}

/* Returns the node that is in the cache, with a reference for the caller. */
static ssl_ctx_cache_node *ssl_ctx_cache_set(ssl_ctx_cache_node *node)
{
	void *vnode;

	pthread_mutex_lock(&ssl_ctx_cache_lock);
	if (mtev_hash_retrieve(&ssl_ctx_cache, node->key, strlen(node->key), &vnode)) {
		ssl_ctx_cache_node_free(node);	/* expect: rule 2 */
		node = vnode;
	} else {
		mtev_hash_store(&ssl_ctx_cache, node->key, strlen(node->key), node);
	}
	kref_get(&node->refcnt);
	pthread_mutex_unlock(&ssl_ctx_cache_lock);
	return node;
}

eventer_ssl_ctx_t *eventer_ssl_ctx_new(const char *ssl_ctx_key, const char *certificate,
				       const char *key, const char *ca)
{
	eventer_ssl_ctx_t *ctx;
	ssl_ctx_cache_node *existing_ctx_cn;

	ctx = calloc(1, sizeof(*ctx));
	if (!ctx)
		return NULL;
	ctx->ssl_ctx_cn = calloc(1, sizeof(*ctx->ssl_ctx_cn));
	if (!ctx->ssl_ctx_cn) {
		free(ctx);
		return NULL;
	}
	ctx->ssl_ctx_cn->key = strdup(ssl_ctx_key);
	kref_init(&ctx->ssl_ctx_cn->refcnt);
	ctx->ssl_ctx_cn->creation_time = time(NULL);
	ctx->ssl_ctx_cn->internal_ssl_ctx = SSL_CTX_new_for(certificate, key, ca);

	existing_ctx_cn = ssl_ctx_cache_set(ctx->ssl_ctx_cn);
	if (existing_ctx_cn != ctx->ssl_ctx_cn) {
		ssl_ctx_cache_node_free(ctx->ssl_ctx_cn);
		ctx->ssl_ctx_cn = existing_ctx_cn;
	}
	ctx->ssl_ctx = ctx->ssl_ctx_cn->internal_ssl_ctx;
	return ctx;
}

void eventer_ssl_ctx_free(eventer_ssl_ctx_t *ctx)
{
	ssl_ctx_cache_node_free(ctx->ssl_ctx_cn);
	free(ctx);
}
