/* SPDX-License-Identifier: MIT */
/*
 * Project: GNOME/eog
 * Path: libeog/eog-image.c
 * Fix commit: 32e38ebff10683e412ec0a0a6c78fb188fd3777e
 * Bug: add_image_to_queue() puts the EogImage on the queue that the
 * thumbnail thread and the idle dispatcher consume without taking a
 * reference, so the image can be finalized while a job still points at it.
 */
#include <stdlib.h>
#include <pthread.h>
#include <kref.h>

typedef void *gpointer;
typedef int gboolean;
typedef int gint;
#define FALSE 0
#define TRUE 1

/* Just enough of GObject: one counter, the last unref frees. */
typedef struct _GObject {
	struct kref ref_count;
} GObject;

static void g_object_finalize(struct kref *kref)
{
	free(container_of(kref, GObject, ref_count));
}

gpointer g_object_ref(gpointer object)
{
	kref_get(&((GObject *)object)->ref_count);
	return object;
}

void g_object_unref(gpointer object)
{
	kref_put(&((GObject *)object)->ref_count, g_object_finalize);
}

typedef struct _GdkPixbuf GdkPixbuf;
typedef struct _GQueue GQueue;

typedef struct {
	char *uri;
	GdkPixbuf *thumbnail;
} EogImagePrivate;

typedef struct _EogImage {
	GObject parent_instance;
	EogImagePrivate *priv;
} EogImage;

/* Returns a new empty queue. */
extern GQueue *g_queue_new(void);
/* Frees the queue (not its elements). */
extern void g_queue_free(GQueue *queue);
/* Appends data to the queue; keeps no reference on it. */
extern void g_queue_push_tail(GQueue *queue, gpointer data);
/* Removes and returns the first element, or NULL. */
extern gpointer g_queue_pop_head(GQueue *queue);
extern gboolean g_queue_is_empty(GQueue *queue);
/* Runs func(data) on a new thread. */
extern void g_thread_create(gpointer (*func)(gpointer data), gpointer data);
/* Runs func(data) from the main loop until it returns FALSE. */
extern gint g_idle_add(gboolean (*func)(gpointer data), gpointer data);
/* Loads or generates the thumbnail for uri; returns a new pixbuf or NULL. */
extern GdkPixbuf *eog_thumbnail_load(const char *uri);
/* Emits "thumbnail_finished" or "thumbnail_failed" on the image. */
extern void eog_image_emit_thumbnail_done(EogImage *image, gboolean ok);

static pthread_mutex_t jobs_mutex = PTHREAD_MUTEX_INITIALIZER;
static GQueue *jobs_waiting;
static GQueue *jobs_done;
static gint dispatch_callbacks_id = -1;
static gboolean thread_running;

static gboolean
dispatch_image_finished(gpointer data)
{
	EogImage *image = NULL;

	pthread_mutex_lock(&jobs_mutex);
	if (!g_queue_is_empty(jobs_done)) {
		image = g_queue_pop_head(jobs_done);
	} else {
		g_queue_free(jobs_done);
		jobs_done = NULL;
		dispatch_callbacks_id = -1;
	}
	pthread_mutex_unlock(&jobs_mutex);

	if (image == NULL)
		return FALSE;

	eog_image_emit_thumbnail_done(image, image->priv->thumbnail != NULL);

	return TRUE;
}

static gpointer
create_thumbnails(gpointer data)
{
	EogImage *image;
	gboolean finished = FALSE;

	while (!finished) {
		pthread_mutex_lock(&jobs_mutex);
		image = g_queue_pop_head(jobs_waiting);
		pthread_mutex_unlock(&jobs_mutex);

		image->priv->thumbnail = eog_thumbnail_load(image->priv->uri);

		pthread_mutex_lock(&jobs_mutex);
		if (jobs_done == NULL)
			jobs_done = g_queue_new();
		g_queue_push_tail(jobs_done, image);

		if (dispatch_callbacks_id == -1)
			dispatch_callbacks_id = g_idle_add(dispatch_image_finished, NULL);

		if (g_queue_is_empty(jobs_waiting)) {
			g_queue_free(jobs_waiting);
			jobs_waiting = NULL;
			thread_running = FALSE;
			finished = TRUE;
		}
		pthread_mutex_unlock(&jobs_mutex);
	}

	return NULL;
}

void
add_image_to_queue(EogImage *image)
{
	pthread_mutex_lock(&jobs_mutex);

	if (jobs_waiting == NULL)
		jobs_waiting = g_queue_new();

	g_queue_push_tail(jobs_waiting, image); /* expect: rule 1 */

	if (!thread_running) {
		g_thread_create(create_thumbnails, NULL);
		thread_running = TRUE;
	}

	pthread_mutex_unlock(&jobs_mutex);
}
