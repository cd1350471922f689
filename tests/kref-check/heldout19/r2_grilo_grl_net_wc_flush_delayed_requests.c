/* SPDX-License-Identifier: MIT */
/*
 * Project: GNOME/grilo
 * Path:    libs/net/grl-net-wc.c
 * Fix:     a1f85561a662a70924b41d4b82eb499ccd7f9b5b
 * Bug: grl_net_wc_flush_delayed_requests() drops a reference on each pending
 * request's cancellable although the request only borrows it, and frees the
 * request closure that the source's destroy notify already freed.
 */
#include <stdlib.h>
#include <string.h>
#include <kref.h>

/* GCancellable: reference counted, owned by the caller of the request. */
typedef struct {
	struct kref ref;
	int cancelled;
} GCancellable;

typedef struct GHashTable GHashTable;
typedef struct GAsyncResult GAsyncResult;
typedef struct GQueue GQueue;
typedef struct GrlNetWc GrlNetWc;

typedef struct {
	GQueue *pending;
	long last_request;
	unsigned int throttling;
} GrlNetWcPrivate;

struct GrlNetWc {
	GrlNetWcPrivate *priv;
};

struct request_clos {
	GrlNetWc *self;
	char *url;
	GHashTable *headers;		/* own reference */
	GAsyncResult *result;
	GCancellable *cancellable;	/* borrowed from the caller */
	unsigned int source_id;
};

typedef int (*GSourceFunc)(void *data);
typedef void (*GDestroyNotify)(void *data);

/* Takes its own reference on the header table. */
extern GHashTable *g_hash_table_ref(GHashTable *table);
/* Drops one reference on the header table. */
extern void g_hash_table_unref(GHashTable *table);
/* Schedules func; destroy runs on data once the source goes away. */
extern unsigned int g_timeout_add_seconds_full(unsigned int seconds, GSourceFunc func,
					       void *data, GDestroyNotify destroy);
/* Removes the source, which calls its destroy notify synchronously. */
extern int g_source_remove(unsigned int id);
extern void g_queue_push_head(GQueue *queue, void *data);
extern void *g_queue_pop_head(GQueue *queue);
/* Starts the real HTTP request for the closure. */
extern int get_url_cb(void *user_data);
extern long now_seconds(void);

void g_cancellable_release(struct kref *ref)
{
	free(container_of(ref, GCancellable, ref));
}

void g_cancellable_cancel(GCancellable *cancellable)
{
	cancellable->cancelled = 1;
}

void g_object_unref(GCancellable *cancellable)
{
	kref_put(&cancellable->ref, g_cancellable_release);
}

static void request_clos_destroy(void *data)
{
	struct request_clos *c = data;

	free(c->url);
	if (c->headers)
		g_hash_table_unref(c->headers);
	free(c);
}

void get_url(GrlNetWc *self, const char *url, GHashTable *headers,
	     GAsyncResult *result, GCancellable *cancellable)
{
	GrlNetWcPrivate *priv = self->priv;
	struct request_clos *c;
	long now = now_seconds();

	c = malloc(sizeof(*c));
	if (!c)
		return;
	c->self = self;
	c->url = strdup(url);
	c->headers = headers ? g_hash_table_ref(headers) : NULL;
	c->result = result;
	c->cancellable = cancellable;

	priv->last_request += priv->throttling;
	c->source_id = g_timeout_add_seconds_full(priv->last_request - now,
						  get_url_cb, c, request_clos_destroy);
	g_queue_push_head(priv->pending, c);
}

void grl_net_wc_flush_delayed_requests(GrlNetWc *self)
{
	GrlNetWcPrivate *priv = self->priv;
	struct request_clos *c;

	while ((c = g_queue_pop_head(priv->pending))) {
		g_source_remove(c->source_id);
		g_object_unref(c->cancellable); /* expect: rule 2 */
		free(c->url);
		free(c);
	}

	priv->last_request = now_seconds();
}
