/* SPDX-License-Identifier: MIT */
/*
 * Project: GStreamer/gst-plugins-good
 * Path:    gst/rtpmanager/gstrtpssrcdemux.c
 * Fix:     3a98f6f0fdd50d90f4881d096eade2e1d9da61a8
 * Bug:     gst_rtp_ssrc_demux_chain() gets the SSRC's src pad from the demuxer's
 *          pad list under PAD_LOCK but pushes on it after the unlock with no
 *          reference, while gst_rtp_ssrc_demux_clear_ssrc() can unlink the pad
 *          under that lock and have the element drop the pad's last reference.
 */
#include <kref.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>

typedef int GstFlowReturn;
#define GST_FLOW_OK		0
#define GST_FLOW_ERROR		(-5)

struct GstBuffer;

typedef struct _GstPad {
	struct kref ref;
} GstPad;

typedef struct _GstRtpSsrcDemuxPad {
	uint32_t ssrc;
	GstPad *rtp_pad;			/* the element's reference */
	struct _GstRtpSsrcDemuxPad *next;
} GstRtpSsrcDemuxPad;

typedef struct _GstRtpSsrcDemux {
	pthread_mutex_t padlock;
	GstRtpSsrcDemuxPad *srcpads;
} GstRtpSsrcDemux;

#define GST_PAD_LOCK(d)		pthread_mutex_lock(&(d)->padlock)
#define GST_PAD_UNLOCK(d)	pthread_mutex_unlock(&(d)->padlock)

/* pushes the buffer to the peer of the pad; takes the buffer, not the pad */
extern GstFlowReturn gst_pad_push(GstPad *pad, struct GstBuffer *buf);
/* parses the SSRC out of an RTP buffer */
extern uint32_t gst_rtp_buffer_get_ssrc(struct GstBuffer *buf);
/* drops a buffer */
extern void gst_buffer_unref(struct GstBuffer *buf);
/* deactivates a pad and unlinks it from its peer */
extern void gst_pad_set_active_false(GstPad *pad);
/* emits "new-ssrc-pad" / "removed-ssrc-pad" */
extern void gst_rtp_ssrc_demux_emit(GstRtpSsrcDemux *demux, uint32_t ssrc, GstPad *pad, int added);

static void gst_pad_finalize(struct kref *ref)
{
	free(container_of(ref, GstPad, ref));
}

static GstPad *gst_object_ref(GstPad *pad)
{
	kref_get(&pad->ref);
	return pad;
}

static void gst_object_unref(GstPad *pad)
{
	kref_put(&pad->ref, gst_pad_finalize);
}

static GstPad *gst_pad_new_from_template(void)
{
	GstPad *pad = calloc(1, sizeof(*pad));

	if (pad)
		kref_init(&pad->ref);	/* becomes the element's reference */
	return pad;
}

/* unparents the pad: the element drops its reference */
static void gst_element_remove_pad(GstRtpSsrcDemux *demux, GstPad *pad)
{
	(void)demux;
	gst_object_unref(pad);
}

static GstRtpSsrcDemuxPad *
find_demux_pad_for_ssrc(GstRtpSsrcDemux *demux, uint32_t ssrc)
{
	GstRtpSsrcDemuxPad *walk;

	for (walk = demux->srcpads; walk; walk = walk->next)
		if (walk->ssrc == ssrc)
			return walk;
	return NULL;
}

/* with PAD_LOCK */
static GstRtpSsrcDemuxPad *
find_or_create_demux_pad_for_ssrc(GstRtpSsrcDemux *demux, uint32_t ssrc)
{
	GstRtpSsrcDemuxPad *demuxpad;

	demuxpad = find_demux_pad_for_ssrc(demux, ssrc);
	if (demuxpad != NULL)
		return demuxpad;

	demuxpad = calloc(1, sizeof(*demuxpad));
	if (demuxpad == NULL)
		return NULL;
	demuxpad->rtp_pad = gst_pad_new_from_template();
	if (demuxpad->rtp_pad == NULL) {
		free(demuxpad);
		return NULL;
	}
	demuxpad->ssrc = ssrc;
	demuxpad->next = demux->srcpads;
	demux->srcpads = demuxpad;

	gst_rtp_ssrc_demux_emit(demux, ssrc, demuxpad->rtp_pad, 1);

	return demuxpad;
}

GstFlowReturn
gst_rtp_ssrc_demux_chain(GstRtpSsrcDemux *demux, struct GstBuffer *buf)
{
	GstFlowReturn ret;
	GstRtpSsrcDemuxPad *dpad;
	GstPad *srcpad;
	uint32_t ssrc;

	ssrc = gst_rtp_buffer_get_ssrc(buf);

	GST_PAD_LOCK(demux);
	dpad = find_or_create_demux_pad_for_ssrc(demux, ssrc);
	if (dpad == NULL) {
		GST_PAD_UNLOCK(demux);
		gst_buffer_unref(buf);
		return GST_FLOW_ERROR;
	}
	srcpad = gst_object_ref(dpad->rtp_pad);
	GST_PAD_UNLOCK(demux);

	/* push to srcpad */
	ret = gst_pad_push(srcpad, buf);

	gst_object_unref(srcpad);

	return ret;
}

void
gst_rtp_ssrc_demux_clear_ssrc(GstRtpSsrcDemux *demux, uint32_t ssrc)
{
	GstRtpSsrcDemuxPad *dpad, **pp;

	GST_PAD_LOCK(demux);
	dpad = find_demux_pad_for_ssrc(demux, ssrc);
	if (dpad == NULL) {
		GST_PAD_UNLOCK(demux);
		return;
	}
	for (pp = &demux->srcpads; *pp != dpad; pp = &(*pp)->next)
		;
	*pp = dpad->next;
	GST_PAD_UNLOCK(demux);

	gst_pad_set_active_false(dpad->rtp_pad);
	gst_rtp_ssrc_demux_emit(demux, ssrc, dpad->rtp_pad, 0);
	gst_element_remove_pad(demux, dpad->rtp_pad);

	free(dpad);
}
