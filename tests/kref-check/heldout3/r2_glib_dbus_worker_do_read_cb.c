/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: GNOME/glib commit
 * 067992f8dedd11651e624921129cd0ffb099180f "gdbus: Fix a potential
 * use-after-free on connection close. Fixes #1686", gio/gdbusprivate.c,
 * _g_dbus_worker_do_read_cb().  The read callback gives up the worker
 * reference taken when g_input_stream_read_async() was called and then
 * calls schedule_pending_close(worker), which locks the worker's write
 * lock: if that was the last reference (the connection was closed and
 * dropped its own reference meanwhile), the worker is used after it was
 * freed.  The fix moves schedule_pending_close() before the unref.
 * GDBusWorker's atomic ref_count written here with struct kref.
 */
#include <pthread.h>
#include <stdlib.h>
#include <kref.h>

typedef void *gpointer;
typedef long gssize;
typedef struct GInputStream GInputStream;
typedef struct GAsyncResult GAsyncResult;
typedef struct GError GError;
typedef void (*GAsyncReadyCallback)(GInputStream *source, GAsyncResult *res, gpointer user_data);

typedef struct GDBusWorker {
	struct kref ref_count;
	int stopped;
	GInputStream *input;
	pthread_mutex_t read_lock;
	pthread_mutex_t write_lock;
	int pending_close_attempts;
	char *read_buffer;
	gssize read_buffer_cur_size;
	gssize read_buffer_bytes_wanted;
} GDBusWorker;

void g_input_stream_read_async(GInputStream *stream, void *buffer, gssize count,
			       GAsyncReadyCallback callback, gpointer user_data);
gssize g_input_stream_read_finish(GInputStream *stream, GAsyncResult *res, GError **error);
/* Emits "closed" on the connection and stops the worker. */
void read_error_and_close(GDBusWorker *worker, GError *error);
/* Parses a complete message in read_buffer and dispatches it. */
void read_message_and_dispatch(GDBusWorker *worker);
/* Starts writing the queued close (or the next message); write_lock held. */
void schedule_writing_unlocked(GDBusWorker *worker);
/* Unrefs the stream, cancellable and queues; frees the buffers. */
void g_dbus_worker_finalize(GDBusWorker *worker);

static void _g_dbus_worker_release(struct kref *kref)
{
	GDBusWorker *worker = container_of(kref, GDBusWorker, ref_count);

	g_dbus_worker_finalize(worker);
	free(worker);
}

static GDBusWorker *_g_dbus_worker_ref(GDBusWorker *worker)
{
	kref_get(&worker->ref_count);
	return worker;
}

static void _g_dbus_worker_unref(GDBusWorker *worker)
{
	kref_put(&worker->ref_count, _g_dbus_worker_release);
}

static void _g_dbus_worker_do_read_cb(GInputStream *input_stream, GAsyncResult *res, gpointer user_data);

/* Called with read_lock held; the pending read holds a worker reference. */
static void _g_dbus_worker_do_read_unlocked(GDBusWorker *worker)
{
	g_input_stream_read_async(worker->input, worker->read_buffer + worker->read_buffer_cur_size,
				  worker->read_buffer_bytes_wanted - worker->read_buffer_cur_size,
				  _g_dbus_worker_do_read_cb, _g_dbus_worker_ref(worker));
}

static void schedule_pending_close(GDBusWorker *worker)
{
	pthread_mutex_lock(&worker->write_lock);
	if (worker->pending_close_attempts)
		schedule_writing_unlocked(worker);
	pthread_mutex_unlock(&worker->write_lock);
}

static void _g_dbus_worker_do_read_cb(GInputStream *input_stream, GAsyncResult *res, gpointer user_data)
{
	GDBusWorker *worker = user_data;
	GError *error = NULL;
	gssize bytes_read;

	pthread_mutex_lock(&worker->read_lock);
	/* If already stopped, don't even process the reply */
	if (worker->stopped)
		goto out;

	bytes_read = g_input_stream_read_finish(input_stream, res, &error);
	if (bytes_read <= 0) {
		read_error_and_close(worker, error);
		goto out;
	}
	worker->read_buffer_cur_size += bytes_read;
	if (worker->read_buffer_cur_size == worker->read_buffer_bytes_wanted)
		read_message_and_dispatch(worker);

	/* read the next chunk */
	_g_dbus_worker_do_read_unlocked(worker);

 out:
	pthread_mutex_unlock(&worker->read_lock);

	/* gives up the reference acquired when calling g_input_stream_read_async() */
	_g_dbus_worker_unref(worker);

	/* check if there is any pending close */
	schedule_pending_close(worker);	/* expect: rule 2 */
}
