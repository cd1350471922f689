/* SPDX-License-Identifier: MIT */
/*
 * Project: GStreamer/gstreamer (gst-plugins-good at the time)
 * Path: gst/rtpmanager/gstrtpsession.c
 * Fix commit: 268c998a32f7cbeb8b6958b4ccf691695bcce19a
 * Bug: gst_rtp_session_request_key_unit(), called from the RTP session's
 * thread, pushes an event on rtpsession->send_rtp_sink without the session
 * lock and without a reference, while gst_rtp_session_release_pad() clears
 * the field and drops the element's reference to the pad under that lock.
 */
#include <stdlib.h>
#include <pthread.h>
#include <kref.h>

typedef int gboolean;
typedef void *gpointer;

#define GST_EVENT_CUSTOM_UPSTREAM	1
#define G_TYPE_BOOLEAN			5

typedef struct _GstEvent GstEvent;
typedef struct _GstStructure GstStructure;
typedef struct _RTPSession RTPSession;

typedef struct _GstPad {
	struct kref refcount;
	const char *name;
} GstPad;

typedef struct _GstRtpSession {
	pthread_mutex_t lock;
	GstPad *send_rtp_sink;		/* the element's reference, under lock */
	GstPad *send_rtp_src;
} GstRtpSession;

#define GST_RTP_SESSION(obj)		((GstRtpSession *)(obj))
#define GST_RTP_SESSION_LOCK(sess)	pthread_mutex_lock(&(sess)->lock)
#define GST_RTP_SESSION_UNLOCK(sess)	pthread_mutex_unlock(&(sess)->lock)

/* builds a structure from name/type/value triplets ending with NULL */
extern GstStructure *gst_structure_new(const char *name, const char *firstfield, ...);
/* wraps the structure (taking it) in a new custom event */
extern GstEvent *gst_event_new_custom(int type, GstStructure *structure);
/* sends the event (taking it) upstream out of pad; pad must be kept alive
 * by the caller */
extern gboolean gst_pad_push_event(GstPad *pad, GstEvent *event);
/* deactivates the pad and unparents it from the element */
extern void gst_pad_set_active(GstPad *pad, gboolean active);

static void gst_object_free(struct kref *refcount)
{
	free(container_of(refcount, GstPad, refcount));
}

static GstPad *gst_object_ref(GstPad *pad)
{
	kref_get(&pad->refcount);
	return pad;
}

static void gst_object_unref(GstPad *pad)
{
	kref_put(&pad->refcount, gst_object_free);
}

/* the element lets go of the pad: drops the reference it held */
static void gst_element_remove_pad(GstRtpSession *rtpsession, GstPad *pad)
{
	(void)rtpsession;
	gst_pad_set_active(pad, 0);
	gst_object_unref(pad);
}

static void remove_send_rtp_sink(GstRtpSession *rtpsession)
{
	gst_element_remove_pad(rtpsession, rtpsession->send_rtp_sink);
	rtpsession->send_rtp_sink = NULL;

	gst_element_remove_pad(rtpsession, rtpsession->send_rtp_src);
	rtpsession->send_rtp_src = NULL;
}

/* application thread: the send_rtp_sink request pad is released */
void gst_rtp_session_release_pad(GstRtpSession *rtpsession, GstPad *pad)
{
	GST_RTP_SESSION_LOCK(rtpsession);
	if (rtpsession->send_rtp_sink == pad)
		remove_send_rtp_sink(rtpsession);
	GST_RTP_SESSION_UNLOCK(rtpsession);
}

/* RTP session callback: a receiver asked for a key unit */
void gst_rtp_session_request_key_unit(RTPSession *sess, gboolean all_headers, gpointer user_data)
{
	GstRtpSession *rtpsession = GST_RTP_SESSION(user_data);
	GstEvent *event;

	(void)sess;
	event = gst_event_new_custom(GST_EVENT_CUSTOM_UPSTREAM,
				     gst_structure_new("GstForceKeyUnit",
						       "all-headers", G_TYPE_BOOLEAN, all_headers, NULL));
	gst_pad_push_event(rtpsession->send_rtp_sink, event); /* expect: rule 3 */
}
