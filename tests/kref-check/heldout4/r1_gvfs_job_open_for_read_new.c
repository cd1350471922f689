/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: GNOME/gvfs commit
 * 1af58fd2257ddf7b59b47c55e6cbd2993b35e64c "Keep a ref to the dbus
 * connection to avoid it going away", daemon/gvfsjobopenforread.c,
 * g_vfs_job_open_for_read_new() and its finalize.  The job, which lives
 * until its reply is sent from another thread, kept the DBusConnection in
 * its field `connection` with no reference ("TODO: ref?") while it took
 * one on the message; the connection could go away under the job.  The
 * fix refs it on creation and unrefs it in finalize.  The counts written
 * with struct kref.
 */
#include <stdlib.h>
#include <string.h>
#include <kref.h>

typedef struct DBusConnection { struct kref refcount; int fd; } DBusConnection;
typedef struct DBusMessage { struct kref refcount; } DBusMessage;

typedef struct GVfsJobOpenForRead {
	struct kref ref_count;
	DBusConnection *connection;
	DBusMessage *message;
	char *filename;
} GVfsJobOpenForRead;

/* Frees the connection's buffers and closes it. */
extern void dbus_connection_free_data(DBusConnection *connection);

static void dbus_connection_last_unref(struct kref *ref)
{
	DBusConnection *connection = container_of(ref, DBusConnection, refcount);

	dbus_connection_free_data(connection);
	free(connection);
}

static void dbus_connection_unref(DBusConnection *connection)
{
	kref_put(&connection->refcount, dbus_connection_last_unref);
}

static void dbus_message_free(struct kref *ref)
{
	free(container_of(ref, DBusMessage, refcount));
}

static void g_vfs_job_open_for_read_finalize(struct kref *ref)
{
	GVfsJobOpenForRead *job = container_of(ref, GVfsJobOpenForRead, ref_count);

	if (job->message)
		kref_put(&job->message->refcount, dbus_message_free);
	free(job->filename);
	free(job);
}

GVfsJobOpenForRead *g_vfs_job_open_for_read_new(DBusConnection *connection,
						DBusMessage *message,
						const char *path_data, size_t path_len)
{
	GVfsJobOpenForRead *job = calloc(1, sizeof(*job));

	if (!job)
		return NULL;
	kref_init(&job->ref_count);
	job->connection = connection; /* expect: rule 1 */
	kref_get(&message->refcount);
	job->message = message;
	job->filename = strndup(path_data, path_len);
	return job;
}

void g_vfs_job_open_for_read_unref(GVfsJobOpenForRead *job)
{
	kref_put(&job->ref_count, g_vfs_job_open_for_read_finalize);
}

/* Drops a reference the daemon took when the connection was accepted. */
void daemon_connection_closed(DBusConnection *connection)
{
	dbus_connection_unref(connection);
}
