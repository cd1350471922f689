/* SPDX-License-Identifier: MIT */
/*
 * Source: GLib (GNOME/glib), fix commit
 * e34e8a25a04f31e7436af297fced96bbfc4b4f79 ("_g_dbus_worker_new: hold a
 * ref until we have done the initial read", bgo#651268),
 * gio/gdbusprivate.c.  _g_dbus_worker_new() attached an idle source to the
 * shared GDBus worker thread's main context with the new worker as its
 * callback data and no reference for it; if the caller's last unref comes
 * right after _g_dbus_worker_new() returns, the worker thread's initial
 * read uses a freed worker.  The fix gives the source a reference, dropped
 * by its destroy notify.  Reconstructed on struct kref (an atomic
 * ref_count in the original) with pthread mutexes.
 */
#include <kref.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

typedef struct _GIOStream GIOStream;
typedef struct _GSource GSource;
typedef struct _GMainContext GMainContext;
typedef int (*GSourceFunc)(void *data);
typedef void (*GDestroyNotify)(void *data);

typedef struct {
	int ref_count;
	GMainContext *context;	/* iterated by the "gdbus" worker thread */
} SharedThreadData;

typedef void (*GDBusWorkerMessageReceivedCallback)(void *worker, void *message,
						   void *user_data);
typedef void (*GDBusWorkerDisconnectedCallback)(void *worker, int remote_peer_vanished,
						void *user_data);

typedef struct GDBusWorker {
	struct kref ref;
	SharedThreadData *shared_thread_data;
	atomic_int stopped;
	int frozen;
	GIOStream *stream;
	GDBusWorkerMessageReceivedCallback message_received_callback;
	GDBusWorkerDisconnectedCallback disconnected_callback;
	void *user_data;

	pthread_mutex_t read_lock;
	char *read_buffer;
	size_t read_buffer_allocated_size;
	size_t read_buffer_cur_size;
	size_t read_buffer_bytes_wanted;

	pthread_mutex_t write_lock;
} GDBusWorker;

/* Returns the shared worker thread's data, starting the thread on first
 * use; the caller owns one reference. */
extern SharedThreadData *_g_dbus_shared_thread_ref(void);
extern void _g_dbus_shared_thread_unref(SharedThreadData *data);
extern GIOStream *g_object_ref_stream(GIOStream *stream);
extern void g_object_unref_stream(GIOStream *stream);
/* Starts an asynchronous read into the buffer; its completion callback is
 * given its own reference to the worker. */
extern void _g_dbus_worker_start_read_async(GDBusWorker *worker);

extern GSource *g_idle_source_new(void);
extern void g_source_set_callback(GSource *source, GSourceFunc func, void *data,
				  GDestroyNotify notify);
/* The callback is dispatched later by the thread iterating the context. */
extern unsigned int g_source_attach(GSource *source, GMainContext *context);
extern void g_source_unref(GSource *source);
typedef struct {
	GDBusWorker *worker;
	void *cancellable;
} CloseData;

extern void g_cancellable_cancel_worker_io(GDBusWorker *worker);
/* Queues close_data for the worker thread, which closes the stream and
 * then calls close_data_free(). */
extern void schedule_write_in_worker_thread(GDBusWorker *worker,
					    CloseData *close_data);

static void _g_dbus_worker_release(struct kref *ref)
{
	GDBusWorker *worker = container_of(ref, GDBusWorker, ref);

	_g_dbus_shared_thread_unref(worker->shared_thread_data);
	g_object_unref_stream(worker->stream);
	pthread_mutex_destroy(&worker->read_lock);
	pthread_mutex_destroy(&worker->write_lock);
	free(worker->read_buffer);
	free(worker);
}

static GDBusWorker *_g_dbus_worker_ref(GDBusWorker *worker)
{
	kref_get(&worker->ref);
	return worker;
}

static void _g_dbus_worker_unref(GDBusWorker *worker)
{
	kref_put(&worker->ref, _g_dbus_worker_release);
}

void close_data_free(CloseData *close_data)
{
	_g_dbus_worker_unref(close_data->worker);
	free(close_data);
}

static void _g_dbus_worker_close(GDBusWorker *worker)
{
	CloseData *close_data;

	close_data = calloc(1, sizeof(*close_data));
	if (!close_data)
		return;
	close_data->worker = _g_dbus_worker_ref(worker);

	g_cancellable_cancel_worker_io(worker);
	schedule_write_in_worker_thread(worker, close_data);
}

static void _g_dbus_worker_do_read_unlocked(GDBusWorker *worker)
{
	if (worker->read_buffer_bytes_wanted == 0) {
		worker->read_buffer_cur_size = 0;
		worker->read_buffer_bytes_wanted = 16;
	}

	if (worker->read_buffer == NULL ||
	    worker->read_buffer_bytes_wanted > worker->read_buffer_allocated_size) {
		char *buf;

		worker->read_buffer_allocated_size =
			worker->read_buffer_bytes_wanted > 4096 ?
			worker->read_buffer_bytes_wanted : 4096;
		buf = realloc(worker->read_buffer, worker->read_buffer_allocated_size);
		if (!buf)
			return;
		worker->read_buffer = buf;
	}

	_g_dbus_worker_start_read_async(worker);
}

static int _g_dbus_worker_do_initial_read(void *data)
{
	GDBusWorker *worker = data;

	pthread_mutex_lock(&worker->read_lock);
	_g_dbus_worker_do_read_unlocked(worker);
	pthread_mutex_unlock(&worker->read_lock);
	return 0;
}

GDBusWorker *_g_dbus_worker_new(GIOStream *stream, int initially_frozen,
				GDBusWorkerMessageReceivedCallback message_received_callback,
				GDBusWorkerDisconnectedCallback disconnected_callback,
				void *user_data)
{
	GDBusWorker *worker;
	GSource *idle_source;

	worker = calloc(1, sizeof(*worker));
	if (!worker)
		return NULL;
	kref_init(&worker->ref);

	pthread_mutex_init(&worker->read_lock, NULL);
	worker->message_received_callback = message_received_callback;
	worker->disconnected_callback = disconnected_callback;
	worker->user_data = user_data;
	worker->stream = g_object_ref_stream(stream);
	worker->frozen = initially_frozen;
	pthread_mutex_init(&worker->write_lock, NULL);

	worker->shared_thread_data = _g_dbus_shared_thread_ref();

	/* begin reading */
	idle_source = g_idle_source_new();
	g_source_set_callback(idle_source,
			      _g_dbus_worker_do_initial_read,
			      _g_dbus_worker_ref(worker),
			      (GDestroyNotify)_g_dbus_worker_unref);
	g_source_attach(idle_source, worker->shared_thread_data->context);
	g_source_unref(idle_source);

	return worker;
}

void _g_dbus_worker_stop(GDBusWorker *worker)
{
	atomic_store(&worker->stopped, 1);

	_g_dbus_worker_close(worker);

	_g_dbus_worker_unref(worker);
}
