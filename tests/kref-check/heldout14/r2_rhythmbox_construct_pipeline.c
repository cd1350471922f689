/* SPDX-License-Identifier: MIT */
/*
 * Project: GNOME/rhythmbox
 * Path:    backends/gstreamer/rb-player-gst-multi.c
 * Fix:     5ff2d179a3c0d2c028e8061dd07b2e7d2f50d009
 * Bug:     construct_pipeline() passes the result of gst_element_get_bus()
 *          (a new reference) straight to gst_bus_add_watch() and never
 *          unrefs it, leaking a reference to the pipeline's bus.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <kref.h>

/* GstObject's reference count, here a kref */
typedef struct {
	struct kref ref;
	void *watch;
} GstBus;

typedef struct {
	GstBus *bus;		/* the pipeline's own reference */
} GstElement;

typedef bool (*GstBusFunc)(GstBus *bus, void *message, void *data);

typedef struct {
	char *uri;
	GstElement *pipeline;
	GstElement *audio_sink;
} RBPlayerGstMultiStream;

/* creates a playbin element with its own bus; returns a new reference */
extern GstElement *rb_player_gst_make_playbin(const char *uri);
/* adds a main-loop source for the bus; the source takes its own reference */
extern unsigned int gst_bus_add_watch(GstBus *bus, GstBusFunc func, void *data);
/* creates and tests an audio sink; returns a new reference or NULL */
extern GstElement *rb_player_gst_try_audio_sink(const char *name, void *unused);
/* handles bus messages for the stream */
extern bool bus_cb(GstBus *bus, void *message, void *data);

static void gst_bus_finalize(struct kref *ref)
{
	GstBus *bus = container_of(ref, GstBus, ref);

	free(bus);
}

/* gst_object_unref() for a bus */
void gst_object_unref(GstBus *bus)
{
	kref_put(&bus->ref, gst_bus_finalize);
}

/* transfer full: returns a new reference to the element's bus */
GstBus *gst_element_get_bus(GstElement *element)
{
	kref_get(&element->bus->ref);
	return element->bus;
}

bool construct_pipeline(RBPlayerGstMultiStream *stream)
{
	stream->pipeline = rb_player_gst_make_playbin(stream->uri);
	if (stream->pipeline == NULL)
		return false;

	gst_bus_add_watch(gst_element_get_bus(stream->pipeline), /* expect: rule 2 */
			  bus_cb,
			  stream);

	stream->audio_sink = rb_player_gst_try_audio_sink("autoaudiosink", NULL);
	if (stream->audio_sink == NULL)
		return false;

	return true;
}
