/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: meetecho/janus-gateway commit
 * 1791d3a61c770b8f38758a2634fac199196ed603 "Fixed missing reference when
 * renegotiating (VideoRoom)", plugins/janus_videoroom.c,
 * janus_videoroom_handler().  When a publisher updates its SDP, the handler
 * thread enqueues a fake "configure" request for every subscriber on the
 * plugin's message queue, which the same handler thread pops later.
 * janus_videoroom_message_free() drops a reference on the session behind
 * msg->handle, as for every message coming from
 * janus_videoroom_handle_message() (which takes one), but the fake message
 * was pushed with no reference: the free puts a reference nobody took and
 * the subscriber's session can go while the message still points at it.
 * The fix increases the session's refcount before the push.
 * janus_refcount is written with a kref.
 */
#include <stdlib.h>
#include <pthread.h>
#include <kref.h>

typedef struct janus_plugin_session { void *plugin_handle; } janus_plugin_session;

typedef struct janus_videoroom_session {
	janus_plugin_session *handle;
	struct kref ref;
} janus_videoroom_session;

typedef struct janus_videoroom_subscriber {
	janus_videoroom_session *session;
	struct janus_videoroom_subscriber *next;
} janus_videoroom_subscriber;

typedef struct janus_videoroom_publisher {
	janus_videoroom_subscriber *subscribers;
	pthread_mutex_t subscribers_mutex;
} janus_videoroom_publisher;

typedef struct janus_videoroom_message {
	janus_plugin_session *handle;
	void *message;
} janus_videoroom_message;

/* g_async_queue_push() on the plugin's queue, read by janus_videoroom_handler(). */
extern void messages_push(janus_videoroom_message *msg);
/* json_incref(): one more reference on the JSON request. */
extern void *json_incref(void *json);

static void janus_videoroom_session_free(struct kref *ref)
{
	free(container_of(ref, janus_videoroom_session, ref));
}

/* Called by the handler thread once a message has been processed. */
void janus_videoroom_message_free(janus_videoroom_message *msg)
{
	if (msg->handle && msg->handle->plugin_handle) {
		janus_videoroom_session *session = msg->handle->plugin_handle;
		kref_put(&session->ref, janus_videoroom_session_free);
	}
	msg->handle = NULL;
	free(msg);
}

/* Part of janus_videoroom_handler(), "configure" with an SDP update. */
void janus_videoroom_schedule_renegotiation(janus_videoroom_publisher *participant, void *update)
{
	janus_videoroom_subscriber *s;

	pthread_mutex_lock(&participant->subscribers_mutex);
	for (s = participant->subscribers; s; s = s->next) {
		if (s->session && s->session->handle) {
			/* Enqueue the fake request: this will trigger a renegotiation */
			janus_videoroom_message *msg = calloc(1, sizeof(*msg));
			if (!msg)
				break;
			msg->handle = s->session->handle;
			msg->message = json_incref(update);
			messages_push(msg); /* expect: rule 1 */
		}
	}
	pthread_mutex_unlock(&participant->subscribers_mutex);
}
