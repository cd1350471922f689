/* SPDX-License-Identifier: MIT */
/*
 * Project: GStreamer/gstreamer (then gst-plugins-good)
 * Path: gst/rtpmanager/rtpsession.c
 * Fix commit: aaee1a3d42d8bcf341165bfc0c38263a804cfad6
 * Bug: on_bye_ssrc() (like the other on_* signal helpers) dropped the
 * session lock to emit its signal with the RTPSource it had found in the
 * session's SSRC table, without a reference of its own, so the timeout pass
 * could remove the source from the table and drop its last reference
 * meanwhile.
 */
#include <kref.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#define RTP_SESSION_N_SSRCS	32

typedef struct RTPSource {
	struct kref ref;		/* g_object_ref() / g_object_unref() */
	uint32_t ssrc;
	bool received_bye;
} RTPSource;

typedef struct RTPSession {
	pthread_mutex_t lock;
	RTPSource *ssrcs[RTP_SESSION_N_SSRCS];	/* the table holds one reference per source */
} RTPSession;

#define RTP_SESSION_LOCK(sess)		pthread_mutex_lock(&(sess)->lock)
#define RTP_SESSION_UNLOCK(sess)	pthread_mutex_unlock(&(sess)->lock)

/* g_signal_emit() of "on-bye-ssrc": runs the application's handlers with source */
extern void rtp_session_emit_on_bye_ssrc(RTPSession *sess, RTPSource *source);
/* true when the source has been inactive (or gone after a BYE) for too long */
extern bool rtp_source_timed_out(RTPSource *source);

static void rtp_source_finalize(struct kref *ref)
{
	free(container_of(ref, RTPSource, ref));
}

static void rtp_source_unref(RTPSource *source)
{
	kref_put(&source->ref, rtp_source_finalize);
}

/* called with the session lock; returns a pointer borrowed from the table */
static RTPSource *obtain_source(RTPSession *sess, uint32_t ssrc)
{
	RTPSource **slot = &sess->ssrcs[ssrc % RTP_SESSION_N_SSRCS];

	if (*slot != NULL && (*slot)->ssrc == ssrc)
		return *slot;
	if (*slot != NULL)
		return NULL;

	*slot = calloc(1, sizeof(**slot));
	if (*slot == NULL)
		return NULL;
	kref_init(&(*slot)->ref);
	(*slot)->ssrc = ssrc;
	return *slot;
}

/* called with the session lock */
static void on_bye_ssrc(RTPSession *sess, RTPSource *source)
{
	RTP_SESSION_UNLOCK(sess);
	rtp_session_emit_on_bye_ssrc(sess, source); /* expect: rule 3 */
	RTP_SESSION_LOCK(sess);
}

void rtp_session_process_bye(RTPSession *sess, uint32_t ssrc)
{
	RTPSource *source;

	RTP_SESSION_LOCK(sess);
	source = obtain_source(sess, ssrc);
	if (source == NULL) {
		RTP_SESSION_UNLOCK(sess);
		return;
	}
	source->received_bye = true;
	on_bye_ssrc(sess, source);
	RTP_SESSION_UNLOCK(sess);
}

void rtp_session_on_timeout(RTPSession *sess)
{
	int i;

	RTP_SESSION_LOCK(sess);
	for (i = 0; i < RTP_SESSION_N_SSRCS; i++) {
		RTPSource *source = sess->ssrcs[i];

		if (source != NULL && rtp_source_timed_out(source)) {
			sess->ssrcs[i] = NULL;
			rtp_source_unref(source);
		}
	}
	RTP_SESSION_UNLOCK(sess);
}
