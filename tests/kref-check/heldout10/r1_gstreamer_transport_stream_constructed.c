/* SPDX-License-Identifier: MIT */
/*
 * Project: GStreamer/gstreamer
 * Path:    subprojects/gst-plugins-bad/ext/webrtc/transportstream.c
 *          (and gst-libs/gst/webrtc/nice/nice.c)
 * Fix:     dbc83c3ec12a9302da9680d78321e3af9021f411
 * Bug:     transport_stream_constructed() keeps the ICE stream found in
 *          webrtcbin's map (or just added to the ICE agent) in
 *          stream->stream without a reference of its own, so the ICE stream
 *          can go away while the TransportStream still uses it.
 */
#include <stddef.h>
#include <kref.h>

typedef struct {
	struct kref ref;
	unsigned int stream_id;
} GstWebRTCICEStream;

typedef struct {
	unsigned int session_id;
	GstWebRTCICEStream *stream;	/* the agent's reference */
} NiceStreamItem;

typedef struct {
	NiceStreamItem items[16];
	unsigned int n_items;
} GstWebRTCNice;

typedef struct {
	GstWebRTCNice *ice;
	void *ice_stream_map;	/* session id -> ICE stream, borrowed pointers */
} GstWebRTCBin;

typedef struct {
	unsigned int session_id;
	GstWebRTCICEStream *stream;
	void *transport;	/* the DTLS transport, owned */
	void *send_bin;		/* owned */
	void *receive_bin;	/* owned */
} TransportStream;

/* frees an ICE stream */
extern void gst_webrtc_ice_stream_finalize(GstWebRTCICEStream *stream);
/* creates an ICE stream, the caller owns the reference */
extern GstWebRTCICEStream *gst_webrtc_nice_stream_new(GstWebRTCNice *nice,
						      unsigned int session_id);
/* returns a borrowed pointer from webrtcbin's map, or NULL */
extern GstWebRTCICEStream *_find_ice_stream_for_session(GstWebRTCBin *webrtc,
							 unsigned int session_id);
/* records the stream in webrtcbin's map (borrowed, no reference taken) */
extern void _add_ice_stream_item(GstWebRTCBin *webrtc, unsigned int session_id,
				 GstWebRTCICEStream *stream);
/* creates the DTLS transport on top of the RTP component of the stream */
extern void *transport_from_ice_stream(GstWebRTCNice *ice,
				       GstWebRTCICEStream *stream,
				       unsigned int session_id);
/* creates the send and receive bins of the transport stream */
extern void transport_stream_create_bins(TransportStream *stream);
/* drops the transport and the bins */
extern void transport_stream_clear_bins(TransportStream *stream);

static void ice_stream_release(struct kref *ref)
{
	gst_webrtc_ice_stream_finalize(container_of(ref, GstWebRTCICEStream, ref));
}

void
gst_clear_ice_stream(GstWebRTCICEStream **stream_ptr)
{
	GstWebRTCICEStream *stream = *stream_ptr;

	*stream_ptr = NULL;
	if (stream)
		kref_put(&stream->ref, ice_stream_release);
}

GstWebRTCICEStream *
gst_webrtc_nice_add_stream(GstWebRTCNice *nice, unsigned int session_id)
{
	NiceStreamItem *item;

	if (nice->n_items == 16)
		return NULL;

	item = &nice->items[nice->n_items];
	item->session_id = session_id;
	item->stream = gst_webrtc_nice_stream_new(nice, session_id);
	if (item->stream == NULL)
		return NULL;
	nice->n_items++;

	return item->stream;
}

void
transport_stream_dispose(TransportStream *stream)
{
	transport_stream_clear_bins(stream);
}

void
transport_stream_constructed(TransportStream *stream, GstWebRTCBin *webrtc)
{
	stream->stream = _find_ice_stream_for_session(webrtc, stream->session_id); /* expect: rule 1 */
	if (stream->stream == NULL) {
		stream->stream = gst_webrtc_nice_add_stream(webrtc->ice,
							    stream->session_id);
		if (stream->stream == NULL)
			return;
		_add_ice_stream_item(webrtc, stream->session_id, stream->stream);
	}

	stream->transport = transport_from_ice_stream(webrtc->ice, stream->stream,
						      stream->session_id);
	transport_stream_create_bins(stream);
}
