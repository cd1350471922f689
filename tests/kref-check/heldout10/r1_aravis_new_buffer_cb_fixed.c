/* SPDX-License-Identifier: MIT */
/*
 * Project: AravisProject/aravis
 * Path:    viewer/arvviewer.c
 * Fix:     83b9f78671eb3de59c17dd5c319ab3754e5fb369
 * Bug:     new_buffer_cb() hands the popped ArvBuffer to the GStreamer
 *          release data and also keeps it in viewer->last_buffer without a
 *          reference for either copy, so the buffer is recycled or freed while
 *          the viewer still points at it.
 */
#include <stdlib.h>
#include <kref.h>

typedef struct {
	struct kref ref;
	int status;
	void *data;
	size_t size;
} ArvBuffer;

typedef struct ArvStream ArvStream;

typedef struct {
	void *appsrc;
	ArvBuffer *last_buffer;	/* used for snapshots */
} ArvViewer;

typedef struct {
	ArvStream *stream;	/* weak: only valid while the stream lives */
	ArvBuffer *arv_buffer;
} ArvGstBufferReleaseData;

#define ARV_BUFFER_STATUS_SUCCESS 0

/* frees the buffer's data and the buffer */
extern void arv_buffer_finalize(ArvBuffer *buffer);
/* dequeues a filled buffer; the caller owns the returned reference */
extern ArvBuffer *arv_stream_pop_buffer(ArvStream *stream);
/* queues a buffer for filling; takes over the caller's reference */
extern void arv_stream_push_buffer(ArvStream *stream, ArvBuffer *buffer);
/* returns the stream (with a reference) if it is still alive, else NULL */
extern ArvStream *weak_stream_get(ArvStream **weak);
/* drops a reference on the stream (NULL is an error) */
extern void arv_stream_unref(ArvStream *stream);
/* wraps data into a GstBuffer that calls release(release_data) when freed,
 * and pushes it into appsrc */
extern void appsrc_push_wrapped(void *appsrc, void *data, size_t size,
				void (*release)(void *), void *release_data);

static void arv_buffer_release(struct kref *ref)
{
	arv_buffer_finalize(container_of(ref, ArvBuffer, ref));
}

void
arv_buffer_unref(ArvBuffer *buffer)
{
	kref_put(&buffer->ref, arv_buffer_release);
}

static void
_gst_buffer_release_cb(void *param)
{
	ArvGstBufferReleaseData *release_data = param;
	ArvStream *stream = weak_stream_get(&release_data->stream);

	if (stream) {
		arv_stream_push_buffer(stream, release_data->arv_buffer);
		arv_stream_unref(stream);
	}

	arv_buffer_unref(release_data->arv_buffer);
	free(release_data);
}

void
new_buffer_cb(ArvStream *stream, ArvViewer *viewer)
{
	ArvBuffer *arv_buffer;

	arv_buffer = arv_stream_pop_buffer(stream);
	if (arv_buffer == NULL)
		return;

	if (arv_buffer->status == ARV_BUFFER_STATUS_SUCCESS) {
		ArvGstBufferReleaseData *buffer_release_data;

		buffer_release_data = malloc(sizeof(*buffer_release_data));
		buffer_release_data->stream = stream;
		kref_get(&arv_buffer->ref);
		buffer_release_data->arv_buffer = arv_buffer;

		appsrc_push_wrapped(viewer->appsrc, arv_buffer->data,
				    arv_buffer->size, _gst_buffer_release_cb,
				    buffer_release_data);

		if (viewer->last_buffer) {
			arv_buffer_unref(viewer->last_buffer);
			viewer->last_buffer = NULL;
		}
		kref_get(&arv_buffer->ref);
		viewer->last_buffer = arv_buffer;
	} else {
		arv_stream_push_buffer(stream, arv_buffer);
	}
}
