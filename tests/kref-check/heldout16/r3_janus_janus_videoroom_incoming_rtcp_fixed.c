/* SPDX-License-Identifier: MIT */
/*
 * Project: meetecho/janus-gateway
 * Path: plugins/janus_videoroom.c
 * Fix commit: 4660654e30abd5b08d60e272f08262df6d57eaab
 * Bug: janus_videoroom_incoming_rtcp() reads the subscriber's feed (the
 * publisher) and sends it a PLI with neither the session mutex nor a
 * reference, while janus_videoroom_hangup_subscriber() clears s->feed and
 * drops the subscriber's reference to the publisher under that mutex.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <kref.h>

typedef struct janus_videoroom_session {
	pthread_mutex_t mutex;
	int destroyed;
} janus_videoroom_session;

typedef struct janus_videoroom_publisher {
	struct kref ref;
	janus_videoroom_session *session;
	int destroyed;
} janus_videoroom_publisher;

typedef struct janus_videoroom_subscriber {
	janus_videoroom_session *session;
	janus_videoroom_publisher *feed;	/* counted: holds one publisher ref */
	int destroyed;
} janus_videoroom_subscriber;

/* sends a PLI to the publisher's PeerConnection; takes no reference */
extern void janus_videoroom_reqpli(janus_videoroom_publisher *p, const char *reason);
/* true if the RTCP compound packet carries a FIR or a PLI */
extern bool janus_rtcp_has_fir_or_pli(const char *buf, int len);
/* frees the publisher's streams, recorders and memory */
extern void janus_videoroom_publisher_free(janus_videoroom_publisher *p);

static void janus_videoroom_publisher_free_ref(struct kref *ref)
{
	janus_videoroom_publisher_free(container_of(ref, janus_videoroom_publisher, ref));
}

static void janus_videoroom_publisher_dereference_by_subscriber(janus_videoroom_publisher *p)
{
	kref_put(&p->ref, janus_videoroom_publisher_free_ref);
}

/* subscriber hangs up: forget the feed and drop the reference it held */
void janus_videoroom_hangup_subscriber(janus_videoroom_subscriber *s)
{
	janus_videoroom_publisher *feed;

	pthread_mutex_lock(&s->session->mutex);
	feed = s->feed;
	s->feed = NULL;
	pthread_mutex_unlock(&s->session->mutex);
	if (feed)
		janus_videoroom_publisher_dereference_by_subscriber(feed);
}

/* takes a reference to the subscriber's feed under the session mutex */
static janus_videoroom_publisher *
janus_videoroom_subscriber_feed_acquire(janus_videoroom_subscriber *s)
{
	janus_videoroom_publisher *p = NULL;

	if (s == NULL || s->destroyed || s->session == NULL)
		return NULL;
	pthread_mutex_lock(&s->session->mutex);
	p = s->feed;
	if (p && !p->destroyed && p->session)
		kref_get(&p->ref);
	else
		p = NULL;
	pthread_mutex_unlock(&s->session->mutex);
	return p;
}

static void janus_videoroom_subscriber_feed_release(janus_videoroom_publisher *p)
{
	if (p)
		kref_put(&p->ref, janus_videoroom_publisher_free_ref);
}

/* RTCP from a subscriber: forward keyframe requests to its publisher */
void janus_videoroom_incoming_rtcp(janus_videoroom_subscriber *s,
				   const char *buf, int len)
{
	if (s == NULL || s->destroyed)
		return;
	if (janus_rtcp_has_fir_or_pli(buf, len)) {
		/* We got a FIR or PLI, forward a PLI to the publisher */
		janus_videoroom_publisher *p = janus_videoroom_subscriber_feed_acquire(s);
		if (p && p->session) {
			janus_videoroom_reqpli(p, "PLI from subscriber");
			janus_videoroom_subscriber_feed_release(p);
		}
	}
}
