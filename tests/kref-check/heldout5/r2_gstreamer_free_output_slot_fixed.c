/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: GStreamer/gst-plugins-base
 * commit 5aa831223d594028cdf738cb6f406dd617926540 "urisourcebin: Fix crash
 * caused by use after free" (MR !888), gst/playback/gsturisourcebin.c,
 * free_output_slot().  The output slot's queue is owned by the bin only
 * (get_output_slot() adds it with gst_bin_add() and the slot keeps a plain
 * pointer); gst_bin_remove() drops that last reference, and the slot then
 * passes the freed queue to remove_buffering_msgs(), which logs it.  The
 * fix removes the buffering messages before removing the queue from the
 * bin.  GstObject counted with a kref.
 */
#include <stdlib.h>
#include <stdbool.h>
#include <kref.h>

typedef struct _GstObject { struct kref refcount; const char *name; } GstObject;
typedef GstObject GstElement;
typedef struct _GstPad GstPad;
typedef struct _GstBin GstBin;

typedef struct {
	GstBin *bin;
	void *buffering_status;
} GstURISourceBin;

typedef struct {
	GstElement *queue;
	GstPad *sinkpad;
	GstPad *srcpad;
	unsigned long bitrate_changed_id;
} OutputSlotInfo;

#define GST_OBJECT_CAST(o) ((GstObject *)(o))
#define GST_BIN_CAST(u) ((u)->bin)
#define GST_STATE_NULL 1

/* Returns a new element (one reference), or NULL. */
extern GstElement *gst_element_factory_make(const char *factory, const char *name);
/* The bin takes over the caller's reference on element. */
extern bool gst_bin_add(GstBin *bin, GstElement *element);
/* Unparents element: drops the bin's reference on it. */
extern bool gst_bin_remove(GstBin *bin, GstElement *element);
extern void gst_element_set_locked_state(GstElement *element, bool locked);
extern void gst_element_set_state(GstElement *element, int state);
extern void gst_pad_set_active(GstPad *pad, bool active);
extern void gst_pad_unref(GstPad *pad);
extern void gst_element_remove_pad(GstURISourceBin *urisrc, GstPad *pad);
extern void g_signal_handler_disconnect(GstElement *instance, unsigned long id);
extern void gst_debug_log(GstURISourceBin *obj, const char *fmt, ...);
/* Drops the buffering message src posted, if any (compares src). */
extern void remove_buffering_msg_from(GstURISourceBin *urisrc, GstObject *src);

static void gst_object_finalize(struct kref *ref)
{
	free(container_of(ref, GstObject, refcount));
}

void gst_object_unref(GstObject *obj)
{
	kref_put(&obj->refcount, gst_object_finalize);
}

/* Remove any buffering message from the given source */
static void remove_buffering_msgs(GstURISourceBin *urisrc, GstObject *src)
{
	gst_debug_log(urisrc, "Removing <%s> buffering messages", src->name);
	remove_buffering_msg_from(urisrc, src);
}

OutputSlotInfo *get_output_slot(GstURISourceBin *urisrc)
{
	OutputSlotInfo *slot;
	GstElement *queue;

	queue = gst_element_factory_make("queue2", NULL);
	if (!queue)
		return NULL;

	slot = calloc(1, sizeof(*slot));
	slot->queue = queue;
	gst_bin_add(GST_BIN_CAST(urisrc), queue);
	return slot;
}

void free_output_slot(OutputSlotInfo *slot, GstURISourceBin *urisrc)
{
	if (slot->bitrate_changed_id > 0)
		g_signal_handler_disconnect(slot->queue, slot->bitrate_changed_id);
	slot->bitrate_changed_id = 0;

	gst_element_set_locked_state(slot->queue, true);
	gst_element_set_state(slot->queue, GST_STATE_NULL);
	remove_buffering_msgs(urisrc, GST_OBJECT_CAST(slot->queue));
	gst_bin_remove(GST_BIN_CAST(urisrc), slot->queue);

	gst_pad_unref(slot->sinkpad);

	/* deactivate and remove the srcpad */
	gst_pad_set_active(slot->srcpad, false);
	gst_element_remove_pad(urisrc, slot->srcpad);

	free(slot);
}
