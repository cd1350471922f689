/* SPDX-License-Identifier: MIT */
/*
 * Project: GNOME/gvfs
 * Path: daemon/gvfsmonitor.c
 * Fix commit: 431f53895f5ebf5fb02ab88c2eb5d1e7718ecd8e
 * Bug: g_vfs_monitor_emit_event(), called from a backend worker thread,
 * walked the monitor's subscriber list with no lock and handed each
 * subscriber's D-Bus connection to a proxy call that takes a reference on
 * it, while the main thread's unsubscribe unlinks the subscriber and drops
 * its reference to the connection.
 */
#include <kref.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

typedef struct GDBusConnection {
	struct kref ref;		/* g_object_ref() / g_object_unref() */
} GDBusConnection;

typedef struct Subscriber {
	GDBusConnection *connection;	/* holds a reference */
	char *id;
	char *object_path;
	struct Subscriber *next;
} Subscriber;

typedef struct GVfsMonitor {
	Subscriber *subscribers;
} GVfsMonitor;

typedef struct EmitEventData EmitEventData;

/* allocates the event payload for one subscriber */
extern EmitEventData *emit_event_data_new(GVfsMonitor *monitor, int event_type,
					  const char *file_path, const char *other_file_path);
/* starts creating a MonitorClient proxy on connection (async); takes its own reference on connection */
extern void gvfs_dbus_monitor_client_proxy_new(GDBusConnection *connection, const char *name,
					       const char *object_path, EmitEventData *data);

static void g_dbus_connection_finalize(struct kref *ref)
{
	free(container_of(ref, GDBusConnection, ref));
}

static void g_object_unref(GDBusConnection *connection)
{
	kref_put(&connection->ref, g_dbus_connection_finalize);
}

static bool matches_subscriber(Subscriber *subscriber, GDBusConnection *connection,
			       const char *object_path, const char *dbus_id)
{
	return subscriber->connection == connection &&
	       strcmp(subscriber->object_path, object_path) == 0 &&
	       strcmp(subscriber->id, dbus_id) == 0;
}

static void unsubscribe(GVfsMonitor *monitor, Subscriber *subscriber)
{
	Subscriber **p;

	for (p = &monitor->subscribers; *p != NULL; p = &(*p)->next) {
		if (*p == subscriber) {
			*p = subscriber->next;
			break;
		}
	}
	g_object_unref(subscriber->connection);
	free(subscriber->id);
	free(subscriber->object_path);
	free(subscriber);
}

void g_vfs_monitor_init(GVfsMonitor *monitor)
{
	monitor->subscribers = NULL;
}

/* D-Bus Subscribe(), on the daemon's main thread */
bool handle_subscribe(GVfsMonitor *monitor, GDBusConnection *connection,
		      const char *sender, const char *object_path)
{
	Subscriber *subscriber = calloc(1, sizeof(*subscriber));

	if (subscriber == NULL)
		return false;
	kref_get(&connection->ref);
	subscriber->connection = connection;
	subscriber->id = strdup(sender);
	subscriber->object_path = strdup(object_path);

	subscriber->next = monitor->subscribers;
	monitor->subscribers = subscriber;

	return true;
}

/* D-Bus Unsubscribe(), on the daemon's main thread */
bool handle_unsubscribe(GVfsMonitor *monitor, GDBusConnection *connection,
			const char *sender, const char *object_path)
{
	Subscriber *subscriber;

	for (subscriber = monitor->subscribers; subscriber != NULL; subscriber = subscriber->next) {
		if (matches_subscriber(subscriber, connection, object_path, sender)) {
			unsubscribe(monitor, subscriber);
			break;
		}
	}

	return true;
}

/* called by the backend, possibly from a worker thread */
void g_vfs_monitor_emit_event(GVfsMonitor *monitor, int event_type,
			      const char *file_path, const char *other_file_path)
{
	Subscriber *subscriber;

	for (subscriber = monitor->subscribers; subscriber != NULL; subscriber = subscriber->next) {
		EmitEventData *data;

		data = emit_event_data_new(monitor, event_type, file_path, other_file_path);
		gvfs_dbus_monitor_client_proxy_new(subscriber->connection, subscriber->id, /* expect: rule 3 */
						   subscriber->object_path, data);
	}
}
