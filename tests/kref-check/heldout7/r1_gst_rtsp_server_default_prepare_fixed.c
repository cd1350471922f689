/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (not a copy) of a refcount bug fixed in gst-rtsp-server.
 *
 * Repository: GStreamer/gst-rtsp-server
 * Commit:     6f1cad9237956235e5cf326c1e6394e5ae39433a
 * Title:      "rtsp-media: Take reference to media that will be prepared"
 * Path:       gst/rtsp-server/rtsp-media.c
 * Function:   default_prepare()
 *
 * default_prepare() gets the media as a borrowed (transfer-none) pointer.
 * It does the rest of the preparation from the media's context: it makes
 * an idle source and sets start_prepare() as its callback with the bare
 * media pointer as data, and no destroy notify.  If the last reference to
 * the media is dropped before the idle source is dispatched, start_prepare()
 * runs on a freed media.  (The bus watch set up just above already takes
 * g_object_ref (media) for its callback.)  Fixed by passing
 * g_object_ref (media) with g_object_unref as the destroy notify.
 *
 * The GObject count of the media is modelled with a struct kref.
 */
#include <stdlib.h>
#include <kref.h>

typedef void *gpointer;
typedef int gboolean;
typedef gboolean (*GSourceFunc)(gpointer data);
typedef void (*GDestroyNotify)(gpointer data);
typedef struct _GSource GSource;
typedef struct _GMainContext GMainContext;

typedef struct _GObject {
	struct kref ref_count;
	void (*finalize)(struct _GObject *object);
} GObject;

static void g_object_release(struct kref *kref)
{
	GObject *object = container_of(kref, GObject, ref_count);

	object->finalize(object);
}

static gpointer g_object_ref(gpointer object)
{
	kref_get(&((GObject *)object)->ref_count);
	return object;
}

static void g_object_unref(gpointer object)
{
	kref_put(&((GObject *)object)->ref_count, g_object_release);
}

/* GLib main loop: the source runs func (data) later, from the loop of the
 * context it is attached to, then calls notify (data) when it goes away */
extern GSource *g_idle_source_new(void);
extern void g_source_set_callback(GSource *source, GSourceFunc func,
				  gpointer data, GDestroyNotify notify);
extern unsigned int g_source_attach(GSource *source, GMainContext *context);
extern void g_source_unref(GSource *source);
/* the bus watch of the pipeline: calls bus_message (data) for each message */
extern GSource *gst_bus_create_watch_for_pipeline(gpointer pipeline);

typedef struct _GstRTSPThread {
	GMainContext *context;
} GstRTSPThread;

typedef struct _GstRTSPMedia {
	GObject parent;
	gpointer pipeline;
	GstRTSPThread *thread;
	GSource *source;
	unsigned int id;
	int status;
} GstRTSPMedia;

/* links the streams into the rtpbin and starts the preroll */
extern gboolean start_preroll(GstRTSPMedia *media);
extern gboolean bus_message(gpointer media);

static void watch_destroyed(gpointer data)
{
	g_object_unref(data);
}

static void gst_rtsp_media_finalize(GObject *object)
{
	GstRTSPMedia *media = (GstRTSPMedia *)object;

	free(media);
}

static gboolean start_prepare(gpointer data)
{
	GstRTSPMedia *media = data;

	if (!start_preroll(media))
		media->status = -1;	/* GST_RTSP_MEDIA_STATUS_ERROR */
	return 0;			/* G_SOURCE_REMOVE */
}

static gboolean default_prepare(GstRTSPMedia *media, GstRTSPThread *thread)
{
	GMainContext *context;
	GSource *source;

	media->thread = thread;
	context = (thread != NULL) ? thread->context : NULL;

	/* add the pipeline bus to our custom mainloop */
	media->source = gst_bus_create_watch_for_pipeline(media->pipeline);
	g_source_set_callback(media->source, bus_message,
			      g_object_ref(media), watch_destroyed);
	media->id = g_source_attach(media->source, context);

	/* do remainder in context */
	source = g_idle_source_new();
	g_source_set_callback(source, start_prepare,
			      g_object_ref(media), g_object_unref);
	g_source_attach(source, context);
	g_source_unref(source);

	return 1;
}

GstRTSPMedia *gst_rtsp_media_new(gpointer pipeline)
{
	GstRTSPMedia *media = calloc(1, sizeof(*media));

	if (media == NULL)
		return NULL;
	kref_init(&media->parent.ref_count);
	media->parent.finalize = gst_rtsp_media_finalize;
	media->pipeline = pipeline;
	return media;
}

/* the client: prepares the media, then its session goes away */
int client_prepare_media(gpointer pipeline, GstRTSPThread *thread)
{
	GstRTSPMedia *media = gst_rtsp_media_new(pipeline);
	int ret;

	if (media == NULL)
		return -1;
	ret = default_prepare(media, thread) ? 0 : -1;
	g_object_unref(media);
	return ret;
}
