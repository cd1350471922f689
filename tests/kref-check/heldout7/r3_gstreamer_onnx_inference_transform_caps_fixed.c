/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (not a copy) of a refcount bug fixed in GStreamer.
 *
 * Repository: GStreamer/gstreamer
 * Commit:     35acad2b8fb758a28ecedbcab5357c52e8a6dad9
 * Title:      "onnxinference: Take reference to input tensors caps under
 *              the object lock"
 * Path:       subprojects/gst-plugins-bad/ext/onnx/gstonnxinference.c
 * Function:   gst_onnx_inference_transform_caps()
 *
 * The element keeps the model's input tensor caps in
 * self->input_tensors_caps; stop() (and the model setup in start())
 * replace that field under GST_OBJECT_LOCK and drop the old caps with
 * gst_caps_unref().  transform_caps() takes the object lock only to read
 * self->session, unlocks, and then takes its reference with
 * gst_caps_ref(self->input_tensors_caps): between the unlock and the ref
 * a concurrent stop() can drop the last reference and free the caps, so
 * the ref is taken on freed memory.  Fixed by taking the reference inside
 * the locked section (and dropping it on the no-session path).
 *
 * GstCaps' mini-object refcount is modelled with a struct kref, the
 * object lock with a pthread mutex.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <kref.h>

typedef struct _GstCaps {
	struct kref refcount;
	void *structures;
} GstCaps;

typedef enum { GST_PAD_UNKNOWN, GST_PAD_SRC, GST_PAD_SINK } GstPadDirection;

typedef struct _GstOnnxInference {
	pthread_mutex_t object_lock;	/* GST_OBJECT_LOCK */
	void *session;			/* OrtSession, under object_lock */
	GstCaps *input_tensors_caps;	/* owns a ref, under object_lock */
	GstCaps *output_tensors_caps;	/* owns a ref, under object_lock */
} GstOnnxInference;

#define GST_OBJECT_LOCK(o)	pthread_mutex_lock(&(o)->object_lock)
#define GST_OBJECT_UNLOCK(o)	pthread_mutex_unlock(&(o)->object_lock)

static void gst_caps_free(struct kref *kref)
{
	GstCaps *caps = container_of(kref, GstCaps, refcount);

	free(caps->structures);
	free(caps);
}

static GstCaps *gst_caps_ref(GstCaps *caps)
{
	kref_get(&caps->refcount);
	return caps;
}

static void gst_caps_unref(GstCaps *caps)
{
	kref_put(&caps->refcount, gst_caps_free);
}

/* returns new caps with one reference */
extern GstCaps *gst_caps_new_empty_simple(const char *media_type);
/* returns the intersection with one reference */
extern GstCaps *gst_caps_intersect_first(GstCaps *a, GstCaps *b);
/* releases the ONNX Runtime session */
extern void release_session(void *session);

/* streaming thread: called from the base class on caps queries */
GstCaps *gst_onnx_inference_transform_caps(GstOnnxInference *self,
					   GstPadDirection direction,
					   GstCaps *caps)
{
	GstCaps *other_caps;
	GstCaps *restrictions;
	bool has_session;

	GST_OBJECT_LOCK(self);
	has_session = self->session != NULL;
	restrictions = gst_caps_ref(self->input_tensors_caps);
	GST_OBJECT_UNLOCK(self);

	if (!has_session) {
		gst_caps_unref(restrictions);
		return gst_caps_ref(caps);
	}

	if (direction == GST_PAD_SINK) {
		GstCaps *tmp = gst_caps_intersect_first(restrictions,
							self->output_tensors_caps);
		gst_caps_unref(restrictions);
		restrictions = tmp;
	}
	other_caps = gst_caps_intersect_first(caps, restrictions);
	gst_caps_unref(restrictions);

	return other_caps;
}

/* application thread: state change to READY */
int gst_onnx_inference_stop(GstOnnxInference *self)
{
	GST_OBJECT_LOCK(self);
	if (self->session)
		release_session(self->session);
	self->session = NULL;

	gst_caps_unref(self->input_tensors_caps);
	self->input_tensors_caps = gst_caps_new_empty_simple("video/x-raw");
	gst_caps_unref(self->output_tensors_caps);
	self->output_tensors_caps = gst_caps_new_empty_simple("video/x-raw");
	GST_OBJECT_UNLOCK(self);

	return 1;
}
