/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: GNOME/glib commit
 * 4900ea5215e329fbfe893be7975cf05ff153ef81 "gdbusconnection: Fix double
 * unref on timeout/cancel sending a message" (fixes #1264),
 * gio/gdbusconnection.c, send_message_with_reply_timeout_cb() and
 * send_message_data_deliver_error().  send_message_data_deliver_error()
 * takes ownership of the GTask it is given (it drops a reference at the
 * end), but the timeout callback hands it the task it only borrows from
 * its GSource (whose destroy notify drops that reference again): the
 * task loses one reference too many.  The fix takes a reference in the
 * callback before handing the task over (g_object_ref + g_steal_pointer);
 * the cancelled idle callback had the same fault.  GObject's count
 * written here with struct kref.
 */
#include <stdlib.h>
#include <pthread.h>
#include <kref.h>

typedef int gboolean;
typedef void *gpointer;
typedef struct GSource GSource;
typedef struct GHashTable GHashTable;
typedef struct GTask { struct kref ref_count; void *source_object; void *task_data; } GTask;
typedef struct GDBusConnection { pthread_mutex_t lock; GHashTable *map_method_serial_to_task; } GDBusConnection;
typedef struct { unsigned serial; gboolean delivered; GSource *timeout_source; } SendMessageData;
typedef gboolean (*GSourceFunc)(gpointer user_data);

#define G_IO_ERROR_TIMED_OUT	24
#define CONNECTION_LOCK(c)	pthread_mutex_lock(&(c)->lock)
#define CONNECTION_UNLOCK(c)	pthread_mutex_unlock(&(c)->lock)

/* Frees the task data and the result. */
void g_task_finalize(GTask *task);
/* Completes the task: the async callback runs later, from an idle. */
void g_task_return_new_error(GTask *task, int code, const char *message);
/* Sets callback(user_data = a new reference on task), dropped by the
 * source's destroy notify; attaches the source to the task's context. */
void g_task_attach_source(GTask *task, GSource *source, GSourceFunc callback);
void g_source_destroy(GSource *source);
/* Removes the serial's entry (the table's value is not freed). */
gboolean g_hash_table_remove_serial(GHashTable *table, unsigned serial);

static void g_object_finalize(struct kref *ref)
{
	g_task_finalize(container_of(ref, GTask, ref_count));
}

static GTask *g_object_ref(GTask *task)
{
	kref_get(&task->ref_count);
	return task;
}

static void g_object_unref(GTask *task)
{
	kref_put(&task->ref_count, g_object_finalize);
}

/* Called with the lock held; drops the reference the serial table held. */
static void send_message_with_reply_cleanup(GTask *task, gboolean remove)
{
	GDBusConnection *connection = task->source_object;
	SendMessageData *data = task->task_data;

	data->delivered = 1;
	if (data->timeout_source != NULL) {
		g_source_destroy(data->timeout_source);
		data->timeout_source = NULL;
	}
	if (remove)
		g_hash_table_remove_serial(connection->map_method_serial_to_task, data->serial);
	g_object_unref(task);
}

/* Called from a user thread, lock is not held; @task is (transfer full) */
static void send_message_data_deliver_error(GTask *task, int code, const char *message)
{
	GDBusConnection *connection = task->source_object;
	SendMessageData *data = task->task_data;

	CONNECTION_LOCK(connection);
	if (data->delivered) {
		CONNECTION_UNLOCK(connection);
		return;
	}
	g_object_ref(task);
	send_message_with_reply_cleanup(task, 1);
	CONNECTION_UNLOCK(connection);

	g_task_return_new_error(task, code, message);
	g_object_unref(task);
}

/* Called from a user thread, lock is not held; @task belongs to the source */
static gboolean send_message_with_reply_timeout_cb(gpointer user_data)
{
	GTask *task = user_data;

	send_message_data_deliver_error(task, G_IO_ERROR_TIMED_OUT, "Timeout was reached");	/* expect: rule 1 */
	return 0;
}

void send_message_with_reply_add_timeout(GTask *task, GSource *timeout_source)
{
	SendMessageData *data = task->task_data;

	data->timeout_source = timeout_source;
	g_task_attach_source(task, data->timeout_source, send_message_with_reply_timeout_cb);
}
