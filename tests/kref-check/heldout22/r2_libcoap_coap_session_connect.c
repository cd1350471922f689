/* SPDX-License-Identifier: MIT */
/*
 * Project: obgm/libcoap
 * Path: src/coap_session.c
 * Fix commit: 46c908af8f6ee9c3a7180972783048e684985f06
 * Bug: when the (D)TLS client setup failed, coap_session_connect() called
 * coap_session_free() on a reference-counted session directly instead of
 * dropping its reference with coap_session_release().
 */
#include <stdlib.h>
#include <kref.h>

enum coap_proto { COAP_PROTO_UDP, COAP_PROTO_DTLS, COAP_PROTO_TCP, COAP_PROTO_TLS };
enum coap_session_state {
	COAP_SESSION_STATE_NONE,
	COAP_SESSION_STATE_CONNECTING,
	COAP_SESSION_STATE_HANDSHAKE,
	COAP_SESSION_STATE_ESTABLISHED,
};

#define COAP_SOCKET_WANT_CONNECT 0x0800

typedef struct coap_session_t {
	struct kref ref;
	enum coap_proto proto;
	enum coap_session_state state;
	unsigned int sock_flags;
	void *tls;
	unsigned long last_rx_tx;
} coap_session_t;

/* creates the (D)TLS state for a client session, NULL on failure */
extern void *coap_dtls_new_client_session(coap_session_t *session);
/* creates the TLS state for a client session, NULL on failure */
extern void *coap_tls_new_client_session(coap_session_t *session, int *connected);
/* sends the TCP Capabilities and Settings Message; takes no reference */
extern void coap_session_send_csm(coap_session_t *session);
/* closes the socket and frees the (D)TLS state */
extern void coap_session_mfree(coap_session_t *session);
/* reads the clock */
extern void coap_ticks(unsigned long *t);

/* frees the session: only to be reached from the last reference's release */
static void coap_session_free(coap_session_t *session)
{
	if (!session)
		return;
	coap_session_mfree(session);
	free(session);
}

static void coap_session_release_ref(struct kref *ref)
{
	coap_session_free(container_of(ref, coap_session_t, ref));
}

coap_session_t *coap_session_reference(coap_session_t *session)
{
	kref_get(&session->ref);
	return session;
}

void coap_session_release(coap_session_t *session)
{
	if (session)
		kref_put(&session->ref, coap_session_release_ref);
}

/* Takes over the caller's (only) reference; NULL when it had to drop it. */
coap_session_t *coap_session_connect(coap_session_t *session)
{
	if (session->proto == COAP_PROTO_UDP) {
		session->state = COAP_SESSION_STATE_ESTABLISHED;
	} else if (session->proto == COAP_PROTO_DTLS) {
		session->tls = coap_dtls_new_client_session(session);
		if (session->tls) {
			session->state = COAP_SESSION_STATE_HANDSHAKE;
		} else {
			coap_session_free(session); /* expect: rule 2 */
			return NULL;
		}
	} else if (session->proto == COAP_PROTO_TCP || session->proto == COAP_PROTO_TLS) {
		if (session->sock_flags & COAP_SOCKET_WANT_CONNECT) {
			session->state = COAP_SESSION_STATE_CONNECTING;
		} else if (session->proto == COAP_PROTO_TLS) {
			int connected = 0;

			session->tls = coap_tls_new_client_session(session, &connected);
			if (session->tls) {
				session->state = COAP_SESSION_STATE_HANDSHAKE;
				if (connected)
					coap_session_send_csm(session);
			} else {
				coap_session_free(session); /* expect: rule 2 */
				return NULL;
			}
		} else {
			coap_session_send_csm(session);
		}
	}
	coap_ticks(&session->last_rx_tx);
	return session;
}

/* Returns a new client session holding one reference, or NULL. */
coap_session_t *coap_new_client_session(enum coap_proto proto)
{
	coap_session_t *session = calloc(1, sizeof(*session));

	if (!session)
		return NULL;
	kref_init(&session->ref);
	session->proto = proto;
	return coap_session_connect(session);
}
