/* SPDX-License-Identifier: MIT */
/*
 * Janus WebRTC gateway (meetecho/janus-gateway), VideoRoom plugin, fixed by
 * commit ef65b02a28bd377b6d1e532462f8c899e1854ad5, src/plugins/janus_videoroom.c.
 * janus_videoroom_incoming_rtcp() finds the subscriber stream in
 * s->streams_byid under s->streams_mutex, unlocks, and then takes the
 * publisher stream from its list and uses it with no reference, while an
 * unsubscribe unlinks that publisher stream and drops the list's reference.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <pthread.h>
#include <kref.h>

#define JANUS_VIDEOROOM_MEDIA_VIDEO	2
#define janus_videoroom_p_type_subscriber	1
#define GINT_TO_POINTER(i)		((void *)(intptr_t)(i))

typedef struct GHashTable GHashTable;
typedef struct GSList {
	void *data;
	struct GSList *next;
} GSList;

/* GLib: the subscriber's streams by mindex, and list helpers. */
extern void *g_hash_table_lookup(GHashTable *table, const void *key);
extern GSList *g_slist_find(GSList *list, const void *data);
extern GSList *g_slist_remove(GSList *list, const void *data);

typedef struct janus_videoroom_publisher {
	void *session;
} janus_videoroom_publisher;

typedef struct janus_videoroom_publisher_stream {
	janus_videoroom_publisher *publisher;
	int type;
	int mindex;
	char *mid;
	GSList *subscribers;
	pthread_mutex_t subscribers_mutex;
	struct kref ref;
} janus_videoroom_publisher_stream;

typedef struct janus_videoroom_subscriber {
	GHashTable *streams_byid;
	pthread_mutex_t streams_mutex;
	int destroyed;
	struct kref ref;
} janus_videoroom_subscriber;

typedef struct janus_videoroom_subscriber_stream {
	janus_videoroom_subscriber *subscriber;
	GSList *publisher_streams;
	int mindex;
	int ready;
	struct kref ref;
} janus_videoroom_subscriber_stream;

typedef struct janus_videoroom_session {
	int participant_type;
	int destroyed;
} janus_videoroom_session;

typedef struct janus_plugin_session {
	void *plugin_handle;
} janus_plugin_session;

typedef struct janus_plugin_rtcp {
	int mindex;
	char *buffer;
	uint16_t length;
} janus_plugin_rtcp;

/* Returns the session's subscriber with a new reference, or NULL. */
extern janus_videoroom_subscriber *janus_videoroom_session_get_subscriber_nodebug(janus_videoroom_session *session);
/* Frees the subscriber, its stream tables and lists. */
extern void janus_videoroom_subscriber_free(struct kref *s_ref);
/* Frees a subscriber stream's properties and the stream. */
extern void janus_videoroom_subscriber_stream_free(struct kref *s_ref);
/* Asks the publisher of this stream for a keyframe. */
extern void janus_videoroom_reqpli(janus_videoroom_publisher_stream *ps, const char *reason);
extern int janus_rtcp_has_fir(char *packet, int len);
extern int janus_rtcp_has_pli(char *packet, int len);
extern uint32_t janus_rtcp_get_remb(char *packet, int len);

static void janus_videoroom_publisher_stream_free(struct kref *ps_ref)
{
	janus_videoroom_publisher_stream *ps = container_of(ps_ref, janus_videoroom_publisher_stream, ref);
	free(ps->mid);
	pthread_mutex_destroy(&ps->subscribers_mutex);
	free(ps);
}

static void janus_videoroom_subscriber_stream_remove(janus_videoroom_subscriber_stream *s,
		janus_videoroom_publisher_stream *ps, bool lock_ps)
{
	/* Unsubscribe from this stream in particular (datachannels can have multiple sources) */
	if (g_slist_find(s->publisher_streams, ps) != NULL) {
		/* Remove the subscription from the list of recipients */
		if (lock_ps)
			pthread_mutex_lock(&ps->subscribers_mutex);
		bool unref_ps = false, unref_ss = false;
		if (g_slist_find(s->publisher_streams, ps) != NULL) {
			s->publisher_streams = g_slist_remove(s->publisher_streams, ps);
			unref_ps = true;
			if (s->publisher_streams == NULL)
				__atomic_store_n(&s->ready, 0, __ATOMIC_SEQ_CST);
		}
		if (g_slist_find(ps->subscribers, s) != NULL) {
			ps->subscribers = g_slist_remove(ps->subscribers, s);
			unref_ss = true;
		}
		if (lock_ps)
			pthread_mutex_unlock(&ps->subscribers_mutex);
		/* Unref the two streams, as they're not related anymore */
		if (unref_ps)
			kref_put(&ps->ref, janus_videoroom_publisher_stream_free);
		if (unref_ss)
			kref_put(&s->ref, janus_videoroom_subscriber_stream_free);
	}
}

/* "unsubscribe" request: drop one publisher stream from a subscription. */
void janus_videoroom_unsubscribe_stream(janus_videoroom_subscriber *subscriber,
		int mindex, janus_videoroom_publisher_stream *ps)
{
	pthread_mutex_lock(&subscriber->streams_mutex);
	janus_videoroom_subscriber_stream *stream = g_hash_table_lookup(subscriber->streams_byid, GINT_TO_POINTER(mindex));
	if (stream != NULL)
		janus_videoroom_subscriber_stream_remove(stream, ps, true);
	pthread_mutex_unlock(&subscriber->streams_mutex);
}

void janus_videoroom_incoming_rtcp(janus_plugin_session *handle, janus_plugin_rtcp *packet)
{
	janus_videoroom_session *session = (janus_videoroom_session *)handle->plugin_handle;
	if (session == NULL || __atomic_load_n(&session->destroyed, __ATOMIC_SEQ_CST))
		return;
	if (session->participant_type != janus_videoroom_p_type_subscriber)
		return;
	char *buf = packet->buffer;
	uint16_t len = packet->length;
	/* A subscriber sent some RTCP, check what it is and if we need to forward it to the publisher */
	janus_videoroom_subscriber *s = janus_videoroom_session_get_subscriber_nodebug(session);
	if (s == NULL)
		return;
	if (__atomic_load_n(&s->destroyed, __ATOMIC_SEQ_CST)) {
		kref_put(&s->ref, janus_videoroom_subscriber_free);
		return;
	}
	/* Find the stream this packet belongs to */
	pthread_mutex_lock(&s->streams_mutex);
	janus_videoroom_subscriber_stream *ss = g_hash_table_lookup(s->streams_byid, GINT_TO_POINTER(packet->mindex));
	if (ss == NULL || ss->publisher_streams == NULL) {
		/* No stream..? */
		pthread_mutex_unlock(&s->streams_mutex);
		kref_put(&s->ref, janus_videoroom_subscriber_free);
		return;
	}
	janus_videoroom_publisher_stream *ps = ss->publisher_streams ? ss->publisher_streams->data : NULL;
	if (ps == NULL || ps->type != JANUS_VIDEOROOM_MEDIA_VIDEO) {
		pthread_mutex_unlock(&s->streams_mutex);
		kref_put(&s->ref, janus_videoroom_subscriber_free);
		return;		/* The only feedback we handle is video related anyway... */
	}
	kref_get(&ps->ref);
	pthread_mutex_unlock(&s->streams_mutex);
	if (janus_rtcp_has_fir(buf, len) || janus_rtcp_has_pli(buf, len)) {
		/* We got a FIR or PLI, forward a PLI to the publisher */
		janus_videoroom_publisher *p = ps->publisher;
		if (p && p->session)
			janus_videoroom_reqpli(ps, "PLI from subscriber");
	}
	uint32_t bitrate = janus_rtcp_get_remb(buf, len);
	if (bitrate > 0) {
		/* FIXME We got a REMB from this subscriber, should we do something about it? */
	}
	kref_put(&ps->ref, janus_videoroom_publisher_stream_free);
	kref_put(&s->ref, janus_videoroom_subscriber_free);
}
