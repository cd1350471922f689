/* SPDX-License-Identifier: MIT */
/*
 * Project: awslabs/aws-c-http
 * Path: source/websocket_bootstrap.c
 * Fix commit: 041d94c50fd3a93fb767f1fc4f90881dd5a2354a
 * Bug: aws_websocket_client_connect() keeps the caller's handshake request
 * in the long-lived bootstrap without acquiring a reference, so the user may
 * release the request while the connection attempt still reads it.
 */
#include <stdlib.h>
#include <stddef.h>
#include <kref.h>

/* A counted HTTP message (aws_http_message uses an aws_atomic ref count). */
struct aws_http_message {
	struct kref refcount;
	size_t header_count;
};

static void s_http_message_destroy(struct kref *kref)
{
	struct aws_http_message *message =
		container_of(kref, struct aws_http_message, refcount);

	free(message);
}

struct aws_http_message *aws_http_message_acquire(struct aws_http_message *message)
{
	if (message)
		kref_get(&message->refcount);
	return message;
}

struct aws_http_message *aws_http_message_release(struct aws_http_message *message)
{
	if (message)
		kref_put(&message->refcount, s_http_message_destroy);
	return NULL;
}

struct aws_http_client_connection_options {
	void *user_data;
	void (*on_setup)(void *user_data, int error_code);
};

struct aws_websocket_client_connection_options {
	struct aws_http_message *handshake_request; /* borrowed from the user */
	void *user_data;
};

struct aws_websocket_client_bootstrap {
	void *user_data;
	struct aws_http_message *handshake_request;
	size_t estimated_headers;
	int setup_error_code;
};

/* Starts the HTTP connection; on_setup later runs on an event-loop thread. */
extern int aws_http_client_connect(const struct aws_http_client_connection_options *options);
/* Sends the upgrade request built from the stored handshake request. */
extern int s_ws_bootstrap_send_handshake(struct aws_websocket_client_bootstrap *ws_bootstrap,
					 struct aws_http_message *request);

static void s_ws_bootstrap_destroy(struct aws_websocket_client_bootstrap *ws_bootstrap)
{
	if (!ws_bootstrap)
		return;

	aws_http_message_release(ws_bootstrap->handshake_request);
	free(ws_bootstrap);
}

static void s_ws_bootstrap_on_http_setup(void *user_data, int error_code)
{
	struct aws_websocket_client_bootstrap *ws_bootstrap = user_data;

	if (error_code) {
		s_ws_bootstrap_destroy(ws_bootstrap);
		return;
	}

	/* Runs long after aws_websocket_client_connect() has returned. */
	if (s_ws_bootstrap_send_handshake(ws_bootstrap, ws_bootstrap->handshake_request))
		ws_bootstrap->setup_error_code = -1;
}

int aws_websocket_client_connect(const struct aws_websocket_client_connection_options *options)
{
	struct aws_websocket_client_bootstrap *ws_bootstrap;
	struct aws_http_client_connection_options http_options = { 0 };

	if (!options->handshake_request)
		return -1;

	ws_bootstrap = calloc(1, sizeof(*ws_bootstrap));
	if (!ws_bootstrap)
		return -1;

	ws_bootstrap->user_data = options->user_data;
	ws_bootstrap->handshake_request = aws_http_message_acquire(options->handshake_request);
	ws_bootstrap->estimated_headers = ws_bootstrap->handshake_request->header_count + 10;

	http_options.user_data = ws_bootstrap;
	http_options.on_setup = s_ws_bootstrap_on_http_setup;

	if (aws_http_client_connect(&http_options))
		goto error;

	return 0;

error:
	s_ws_bootstrap_destroy(ws_bootstrap);
	return -1;
}
