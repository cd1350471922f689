/* SPDX-License-Identifier: MIT */
/*
 * Project: rspamd/rspamd
 * Path: src/rspamd_proxy.c
 * Fix commit: dace6998917902124160a5acefc90c151cf2d384
 * Bug: proxy_session_refresh() copies the milter session's ESMTP argument
 * table into the new proxy session without a reference, so the new session
 * reads the table after the milter session has dropped and freed it.
 */
#include <stdlib.h>
#include <kref.h>

typedef struct _GHashTable
{
  struct kref ref;
  void *buckets;
} GHashTable;

typedef struct rspamd_mempool_s rspamd_mempool_t;
typedef void (*rspamd_mempool_destruct_t)(void *data);

struct rspamd_proxy_ctx;

struct rspamd_proxy_session
{
  struct kref ref;
  struct rspamd_proxy_ctx *ctx;
  rspamd_mempool_t *pool;
  void *client_milter_conn;
  int client_sock;
  int flags;
  GHashTable *mail_esmtp_args;
};

/* creates a memory pool; it is deleted by the session's destructor */
extern rspamd_mempool_t *rspamd_mempool_new(const char *tag);
/* runs func(data) when the pool is deleted */
extern void rspamd_mempool_add_destructor(rspamd_mempool_t *pool,
                                          rspamd_mempool_destruct_t func,
                                          void *data);
/* deletes the pool, running its destructors */
extern void rspamd_mempool_delete(rspamd_mempool_t *pool);
/* points the milter connection's callbacks at the new session */
extern void rspamd_milter_update_userdata(void *milter_conn, void *ud);
/* frees the buckets of a hash table */
extern void g_hash_table_destroy_buckets(void *buckets);

static void
g_hash_table_release(struct kref *kref)
{
  GHashTable *ht = container_of(kref, GHashTable, ref);

  g_hash_table_destroy_buckets(ht->buckets);
  free(ht);
}

GHashTable *
g_hash_table_ref(GHashTable *ht)
{
  kref_get(&ht->ref);
  return ht;
}

void
g_hash_table_unref(void *data)
{
  GHashTable *ht = data;

  kref_put(&ht->ref, g_hash_table_release);
}

static void
proxy_session_release(struct kref *kref)
{
  struct rspamd_proxy_session *session =
    container_of(kref, struct rspamd_proxy_session, ref);

  rspamd_mempool_delete(session->pool);
  free(session);
}

struct rspamd_proxy_session *
proxy_session_refresh(struct rspamd_proxy_session *session)
{
  struct rspamd_proxy_session *nsession;

  nsession = calloc(1, sizeof(*nsession));
  if (!nsession)
    return NULL;
  nsession->client_milter_conn = session->client_milter_conn;
  session->client_milter_conn = NULL;
  rspamd_milter_update_userdata(nsession->client_milter_conn, nsession);
  nsession->ctx = session->ctx;
  nsession->pool = rspamd_mempool_new("proxy");
  nsession->client_sock = session->client_sock;
  session->client_sock = -1;
  nsession->flags = session->flags;

  /* Copy ESMTP arguments */
  nsession->mail_esmtp_args = session->mail_esmtp_args; /* expect: rule 1 */

  kref_init(&nsession->ref);

  return nsession;
}

void
proxy_session_unref(struct rspamd_proxy_session *session)
{
  kref_put(&session->ref, proxy_session_release);
}
