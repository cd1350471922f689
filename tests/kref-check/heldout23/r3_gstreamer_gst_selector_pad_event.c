/* SPDX-License-Identifier: MIT */
/*
 * Project: GStreamer/gstreamer (then GStreamer core)
 * Path: plugins/elements/gstinputselector.c
 * Fix commit: 12a905929f239eb8fe111527d2244d19c6a97efa
 * Bug: gst_selector_pad_event() read the selector's active sink pad under
 * the selector lock but kept using it (notify::active) after unlocking
 * without a reference, while another thread could switch or release that
 * pad and drop the selector's reference to it.
 */
#include <kref.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

typedef struct GstEvent GstEvent;

typedef struct GstPad {
	struct kref ref;		/* gst_object_ref() / gst_object_unref() */
} GstPad;

typedef struct GstInputSelector {
	pthread_mutex_t lock;		/* GST_INPUT_SELECTOR_LOCK() */
	GstPad *active_sinkpad;		/* holds a reference */
} GstInputSelector;

#define GST_INPUT_SELECTOR_LOCK(sel)	pthread_mutex_lock(&(sel)->lock)
#define GST_INPUT_SELECTOR_UNLOCK(sel)	pthread_mutex_unlock(&(sel)->lock)

/* g_object_notify() on a pad: runs the notify handlers with pad */
extern void g_object_notify_pad(GstPad *pad, const char *property_name);
/* g_object_notify() on the selector */
extern void g_object_notify_selector(GstInputSelector *sel, const char *property_name);
/* forwards the event downstream; consumes the event */
extern bool gst_pad_event_default(GstPad *pad, GstEvent *event);

static void gst_pad_finalize(struct kref *ref)
{
	free(container_of(ref, GstPad, ref));
}

void gst_object_unref(GstPad *pad)
{
	kref_put(&pad->ref, gst_pad_finalize);
}

/* called with the selector lock; returns sel->active_sinkpad, borrowed */
static GstPad *gst_input_selector_activate_sinkpad(GstInputSelector *sel, GstPad *pad)
{
	if (sel->active_sinkpad == NULL) {
		kref_get(&pad->ref);
		sel->active_sinkpad = pad;
	}
	return sel->active_sinkpad;
}

/* "active-pad" property setter, from the application thread */
void gst_input_selector_set_active_pad(GstInputSelector *sel, GstPad *pad)
{
	GstPad *old;

	kref_get(&pad->ref);
	GST_INPUT_SELECTOR_LOCK(sel);
	old = sel->active_sinkpad;
	sel->active_sinkpad = pad;
	GST_INPUT_SELECTOR_UNLOCK(sel);

	if (old)
		gst_object_unref(old);
}

bool gst_selector_pad_event(GstPad *pad, GstInputSelector *sel, GstEvent *event)
{
	GstPad *prev_active_sinkpad;
	GstPad *active_sinkpad;
	bool forward;

	GST_INPUT_SELECTOR_LOCK(sel);
	prev_active_sinkpad = sel->active_sinkpad;
	if (prev_active_sinkpad)
		kref_get(&prev_active_sinkpad->ref);
	active_sinkpad = gst_input_selector_activate_sinkpad(sel, pad);
	GST_INPUT_SELECTOR_UNLOCK(sel);

	if (prev_active_sinkpad != active_sinkpad) {
		if (prev_active_sinkpad)
			g_object_notify_pad(prev_active_sinkpad, "active");
		g_object_notify_pad(active_sinkpad, "active"); /* expect: rule 3 */
		g_object_notify_selector(sel, "active-pad");
	}
	if (prev_active_sinkpad)
		gst_object_unref(prev_active_sinkpad);

	GST_INPUT_SELECTOR_LOCK(sel);
	active_sinkpad = gst_input_selector_activate_sinkpad(sel, pad);
	/* only forward if we are dealing with the active sinkpad */
	forward = (pad == active_sinkpad);
	GST_INPUT_SELECTOR_UNLOCK(sel);

	if (forward)
		return gst_pad_event_default(pad, event);
	return true;
}
