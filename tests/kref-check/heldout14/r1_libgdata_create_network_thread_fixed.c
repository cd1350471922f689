/* SPDX-License-Identifier: MIT */
/*
 * Project: GNOME/libgdata
 * Path: gdata/gdata-upload-stream.c
 * Fix: 288391e657c890338bf49b00228171b84d8c90be
 * Bug: the upload stream is handed to a new network thread which only takes
 * its own reference once it starts running, so the stream can be finalised
 * while the thread is still being created.
 */
#include <pthread.h>
#include <stdlib.h>
#include <kref.h>

typedef struct _GThread GThread;
typedef void *(*GThreadFunc)(void *data);

/* starts func(data) in a new thread; aborts the program if it cannot */
extern GThread *g_thread_new(const char *name, GThreadFunc func, void *data);
/* sends the next queued chunk; returns 0 when the upload is over */
extern int upload_send_next_chunk(void *message);

enum { STATE_SENDING, STATE_FINISHED };

typedef struct _GDataUploadStream {
	struct kref ref;		/* GObject reference count */
	pthread_mutex_t write_mutex;
	pthread_cond_t write_cond;
	pthread_cond_t finished_cond;
	int state;
	void *message;
	GThread *network_thread;
} GDataUploadStream;

static void gdata_upload_stream_finalize(struct kref *ref)
{
	GDataUploadStream *self = container_of(ref, GDataUploadStream, ref);

	pthread_cond_destroy(&self->finished_cond);
	pthread_cond_destroy(&self->write_cond);
	pthread_mutex_destroy(&self->write_mutex);
	free(self);
}

void gdata_upload_stream_unref(GDataUploadStream *self)
{
	kref_put(&self->ref, gdata_upload_stream_finalize);
}

static void *upload_thread(void *data)
{
	GDataUploadStream *self = data;

	while (upload_send_next_chunk(self->message))
		;

	/* Signal that the operation has finished. */
	pthread_mutex_lock(&self->write_mutex);
	self->state = STATE_FINISHED;
	pthread_cond_signal(&self->write_cond);
	pthread_mutex_unlock(&self->write_mutex);
	pthread_cond_signal(&self->finished_cond);

	/* Referenced in create_network_thread(). */
	gdata_upload_stream_unref(self);

	return NULL;
}

void create_network_thread(GDataUploadStream *self)
{
	if (self->network_thread)
		return;
	kref_get(&self->ref); /* ownership transferred to thread */
	self->network_thread = g_thread_new("upload-thread", upload_thread, self);
}
