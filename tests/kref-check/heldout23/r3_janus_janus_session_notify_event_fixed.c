/* SPDX-License-Identifier: MIT */
/*
 * Project: meetecho/janus-gateway
 * Path: janus.c
 * Fix commit: d26869dfe864b72027fde9a9c0eb664fa3df7001
 * Bug: janus_session_notify_event() read session->source and passed its
 * transport instance to send_message() without session->mutex and without
 * a reference, while a "claim" request, under session->mutex, destroys the
 * old source (dropping its reference to the transport instance) and
 * replaces it.
 */
#include <kref.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

typedef struct json_t json_t;

typedef struct janus_transport_session {
	struct kref ref;		/* janus_refcount */
	void *transport_p;
} janus_transport_session;

typedef struct janus_transport {
	int (*send_message)(janus_transport_session *instance, void *request_id,
			    bool admin, json_t *message);
	void (*session_over)(janus_transport_session *instance, uint64_t session_id,
			     bool timeout, bool claimed);
	void (*session_claimed)(janus_transport_session *instance, uint64_t session_id);
} janus_transport;

typedef struct janus_request {
	janus_transport *transport;
	janus_transport_session *instance;	/* holds a reference */
} janus_request;

typedef struct janus_session {
	uint64_t session_id;
	int destroyed;
	janus_request *source;		/* under mutex */
	pthread_mutex_t mutex;
} janus_session;

/* drops a reference on a JSON object */
extern void json_decref(json_t *json);

static void janus_transport_session_free(struct kref *ref)
{
	free(container_of(ref, janus_transport_session, ref));
}

janus_request *janus_request_new(janus_transport *transport, janus_transport_session *instance)
{
	janus_request *request = malloc(sizeof(*request));

	if (request == NULL)
		return NULL;
	request->transport = transport;
	request->instance = instance;
	kref_get(&instance->ref);
	return request;
}

void janus_request_destroy(janus_request *request)
{
	if (request == NULL)
		return;
	request->transport = NULL;
	kref_put(&request->instance->ref, janus_transport_session_free);
	request->instance = NULL;
	free(request);
}

void janus_session_notify_event(janus_session *session, json_t *event)
{
	if (session != NULL && !__atomic_load_n(&session->destroyed, __ATOMIC_SEQ_CST)) {
		pthread_mutex_lock(&session->mutex);
		if (session->source != NULL && session->source->transport != NULL) {
			/* Send this to the transport client */
			session->source->transport->send_message(session->source->instance, NULL, false, event);
		} else {
			/* No transport, free the event */
			json_decref(event);
		}
		pthread_mutex_unlock(&session->mutex);
	} else {
		/* No session, free the event */
		json_decref(event);
	}
}

/* the "claim" branch of janus_process_incoming_request() */
int janus_process_incoming_request(janus_session *session, janus_request *request)
{
	pthread_mutex_lock(&session->mutex);
	if (session->source != NULL) {
		/* Notify the old transport that this session is over for them, but has been reclaimed */
		session->source->transport->session_over(session->source->instance,
							 session->session_id, false, true);
		janus_request_destroy(session->source);
		session->source = NULL;
	}
	session->source = janus_request_new(request->transport, request->instance);
	if (session->source != NULL)
		session->source->transport->session_claimed(session->source->instance,
							    session->session_id);
	pthread_mutex_unlock(&session->mutex);
	return 0;
}
