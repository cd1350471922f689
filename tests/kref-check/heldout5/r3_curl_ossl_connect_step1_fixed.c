/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: curl/curl commit
 * 31c521b0470e57125ffcd0f1b0c6edf3b9af96c1 "vtls: fix ssl session cache
 * race condition" (#815, #847), lib/vtls/vtls.c and openssl.c.  With a
 * shared cache, Curl_ssl_getsessionid() finds the SSL_SESSION under the
 * share lock and returns it, no reference taken, after unlocking;
 * ossl_connect_step1() then calls SSL_set_session(), which takes OpenSSL's
 * reference, outside the lock, while another handle's
 * Curl_ssl_addsessionid() can evict the entry and free the session (the
 * cache's reference) under the lock.  The fix makes the engine hold the
 * lock across both.  SSL_SESSION's references written with a kref.
 */
#include <stdlib.h>
#include <stdbool.h>
#include <pthread.h>
#include <kref.h>

typedef struct ssl_session_st { struct kref references; } SSL_SESSION;
typedef struct ssl_st { SSL_SESSION *session; } SSL;

struct curl_ssl_session { void *sessionid; long age; };

struct Curl_share { pthread_mutex_t ssl_lock; long sessionage; };
struct SessionHandle {
	struct Curl_share *share;
	struct curl_ssl_session session[8];
	size_t max_ssl_sessions;
};
struct connectdata { struct SessionHandle *data; SSL *handle; };

typedef enum { CURLE_OK = 0, CURLE_SSL_CONNECT_ERROR = 35 } CURLcode;

/* True if the cached entry was made for this connection's host and port. */
extern bool Curl_ssl_session_matches(struct connectdata *conn, struct curl_ssl_session *check);

#define Curl_share_lock(data) pthread_mutex_lock(&(data)->share->ssl_lock)
#define Curl_share_unlock(data) pthread_mutex_unlock(&(data)->share->ssl_lock)

static void ssl_session_free(struct kref *ref)
{
	free(container_of(ref, SSL_SESSION, references));
}

/* Curl_ossl_session_free(): the cache's reference. */
static void SSL_SESSION_free(SSL_SESSION *s)
{
	kref_put(&s->references, ssl_session_free);
}

/* OpenSSL: the SSL object takes its own reference on the session. */
static int SSL_set_session(SSL *ssl, SSL_SESSION *session)
{
	kref_get(&session->references);
	ssl->session = session;
	return 1;
}

bool Curl_ssl_getsessionid(struct connectdata *conn, void **ssl_sessionid)
{
	struct SessionHandle *data = conn->data;
	bool no_match = true;
	size_t i;

	*ssl_sessionid = NULL;

	/* The caller holds Curl_ssl_sessionid_lock(). */
	for (i = 0; i < data->max_ssl_sessions; i++) {
		struct curl_ssl_session *check = &data->session[i];

		if (check->sessionid && Curl_ssl_session_matches(conn, check)) {
			check->age = ++data->share->sessionage;
			*ssl_sessionid = check->sessionid;
			no_match = false;
			break;
		}
	}

	return no_match;
}

/* Stores ssl_sessionid (the caller's reference), evicting the oldest entry
 * when the cache is full. */
void Curl_ssl_addsessionid(struct connectdata *conn, void *ssl_sessionid)
{
	struct SessionHandle *data = conn->data;
	struct curl_ssl_session *store = &data->session[0];
	size_t i;

	Curl_share_lock(data);
	for (i = 1; i < data->max_ssl_sessions && data->session[i].sessionid; i++) {
		if (data->session[i].age < store->age)
			store = &data->session[i];
	}
	if (i == data->max_ssl_sessions)
		SSL_SESSION_free(store->sessionid);	/* kill the oldest */
	else
		store = &data->session[i];
	store->sessionid = ssl_sessionid;
	store->age = ++data->share->sessionage;
	Curl_share_unlock(data);
}

CURLcode ossl_connect_step1(struct connectdata *conn)
{
	void *ssl_sessionid = NULL;

	/* Check if there's a cached ID we can/should use here! */
	Curl_share_lock(conn->data);
	if (!Curl_ssl_getsessionid(conn, &ssl_sessionid)) {
		/* we got a session id, use it! */
		if (!SSL_set_session(conn->handle, ssl_sessionid)) {
			Curl_share_unlock(conn->data);
			return CURLE_SSL_CONNECT_ERROR;
		}
	}
	Curl_share_unlock(conn->data);
	return CURLE_OK;
}
