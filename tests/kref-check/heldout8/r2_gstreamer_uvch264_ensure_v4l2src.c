/* SPDX-License-Identifier: MIT */
/*
 * Source: GStreamer gst-plugins-bad, commit
 * 8e6375c08b2a41760d51b132486f3988e71e36b3 ("resindvd, uvch264src,
 * dx9screencapsrc: fix clock ref leaks in error paths", bugzilla 776376),
 * sys/uvch264/gstuvch264_src.c, ensure_v4l2src().  The clock
 * gst_element_get_clock() returned is only released on the success path.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <kref.h>

typedef bool gboolean;
typedef char gchar;
typedef uint8_t guint8;
typedef uint64_t GstClockTime;
#define TRUE	true
#define FALSE	false

typedef struct _GstObject {
	struct kref ref;
	void (*finalize)(struct _GstObject *object);
} GstObject;

typedef struct _GstClock {
	GstObject object;
} GstClock;

typedef struct _GstElement {
	GstObject object;
	GstClock *clock;
	GstClockTime base_time;
} GstElement;

typedef struct _GstBin {
	GstElement element;
} GstBin;

typedef enum {
	GST_STATE_NULL = 1,
	GST_STATE_READY = 2,
} GstState;

typedef enum {
	GST_STATE_CHANGE_FAILURE = 0,
	GST_STATE_CHANGE_SUCCESS = 1,
} GstStateChangeReturn;

#define GST_OBJECT(obj)		((GstObject *)(obj))
#define GST_ELEMENT(obj)	((GstElement *)(obj))
#define GST_BIN(obj)		((GstBin *)(obj))

typedef struct _GstUvcH264Src {
	GstBin parent;
	GstElement *v4l2_src;
	gchar *device;
	int num_buffers;
	int v4l2_fd;
	guint8 h264_unit_id;
} GstUvcH264Src;

/* Returns a new element reference, or NULL. */
extern GstElement *gst_element_factory_make(const gchar *factoryname, const gchar *name);
/* The bin takes over the reference passed in. */
extern gboolean gst_bin_add(GstBin *bin, GstElement *element);
/* The bin drops its reference on the element. */
extern gboolean gst_bin_remove(GstBin *bin, GstElement *element);
extern GstStateChangeReturn gst_element_set_state(GstElement *element, GstState state);
extern gchar *v4l2src_get_device(GstElement *v4l2_src);
extern void v4l2src_set_device(GstElement *v4l2_src, const gchar *device, int num_buffers);
extern int v4l2src_get_device_fd(GstElement *v4l2_src);
extern guint8 xu_get_id(GstUvcH264Src *self);
extern void gst_element_post_error(GstUvcH264Src *self, const char *msg);

static void gst_object_free(struct kref *ref)
{
	GstObject *object = container_of(ref, GstObject, ref);

	if (object->finalize)
		object->finalize(object);
	free(object);
}

void *gst_object_ref(void *object)
{
	kref_get(&GST_OBJECT(object)->ref);
	return object;
}

void gst_object_unref(void *object)
{
	kref_put(&GST_OBJECT(object)->ref, gst_object_free);
}

/* Returns: (transfer full): the element's clock, or NULL */
GstClock *gst_element_get_clock(GstElement *element)
{
	GstClock *result = element->clock;

	if (result)
		gst_object_ref(result);
	return result;
}

/* The element keeps its own reference on the clock. */
gboolean gst_element_set_clock(GstElement *element, GstClock *clock)
{
	if (element->clock == clock)
		return TRUE;
	if (clock)
		gst_object_ref(clock);
	if (element->clock)
		gst_object_unref(element->clock);
	element->clock = clock;
	return TRUE;
}

GstClockTime gst_element_get_base_time(GstElement *element)
{
	return element->base_time;
}

void gst_element_set_base_time(GstElement *element, GstClockTime time)
{
	element->base_time = time;
}

gboolean ensure_v4l2src(GstUvcH264Src *self)
{
	gchar *device = NULL;
	GstClock *v4l2_clock = NULL;

	if (self->v4l2_src == NULL) {
		/* Create v4l2 source and set it up */
		self->v4l2_src = gst_element_factory_make("v4l2src", NULL);
		if (!self->v4l2_src || !gst_bin_add(GST_BIN(self), self->v4l2_src))
			goto error;
		gst_object_ref(self->v4l2_src);
	}

	device = v4l2src_get_device(self->v4l2_src);
	v4l2src_set_device(self->v4l2_src, self->device, self->num_buffers);

	v4l2_clock = gst_element_get_clock(self->v4l2_src);

	/* Set to NULL if the device changed */
	if (device == NULL || self->device == NULL || strcmp(device, self->device) != 0)
		gst_element_set_state(self->v4l2_src, GST_STATE_NULL);
	free(device);

	if (gst_element_set_state(self->v4l2_src, GST_STATE_READY) !=
	    GST_STATE_CHANGE_SUCCESS)
		goto error_remove;

	/* Set/Update the fd and unit id after we go to READY */
	self->v4l2_fd = v4l2src_get_device_fd(self->v4l2_src);
	self->h264_unit_id = xu_get_id(self);

	if (self->h264_unit_id == 0) {
		gst_element_post_error(self, "Device is not a valid UVC H264 camera");
		goto error_remove;
	}

	/* going to state READY makes v4l2src lose its reference to the clock */
	if (v4l2_clock) {
		gst_element_set_clock(self->v4l2_src, v4l2_clock);
		gst_element_set_base_time(self->v4l2_src,
					  gst_element_get_base_time(GST_ELEMENT(self)));
		gst_object_unref(v4l2_clock);
	}

	return TRUE;

error_remove:
	gst_element_set_state(self->v4l2_src, GST_STATE_NULL);
	gst_bin_remove(GST_BIN(self), self->v4l2_src);

error:
	if (self->v4l2_src)
		gst_object_unref(self->v4l2_src);
	self->v4l2_src = NULL;
	self->v4l2_fd = -1;
	self->h264_unit_id = 0;

	return FALSE; /* expect: rule 2 */
}
