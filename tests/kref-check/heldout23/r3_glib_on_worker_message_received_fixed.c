/* SPDX-License-Identifier: MIT */
/*
 * Project: GNOME/glib
 * Path: gio/gdbusconnection.c (and gio/gdbusprivate.c)
 * Fix commit: f0b04acfd31b768151a88db3f8d3347f55b2a7b3
 * Bug: the GDBusWorker thread's callback took a reference on the connection
 * it got as a plain user_data pointer, with nothing to keep that connection
 * from being on its final unref at the same moment.
 */
#include <kref.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

typedef struct GDBusWorker GDBusWorker;
typedef struct GDBusMessage GDBusMessage;

typedef struct GDBusConnection {
	struct kref ref;		/* g_object_ref() / g_object_unref() */
	pthread_mutex_t lock;		/* CONNECTION_LOCK() */
	GDBusWorker *worker;
	bool closed;
	struct GDBusConnection *alive_next;	/* in alive_connections */
} GDBusConnection;

typedef void (*GDBusWorkerMessageReceivedCallback)(GDBusWorker *worker,
						   GDBusMessage *message,
						   void *user_data);

static pthread_mutex_t message_bus_lock = PTHREAD_MUTEX_INITIALIZER;
/* connections whose worker may still call back; under message_bus_lock */
static GDBusConnection *alive_connections;

/* starts the worker thread; it calls message_received with user_data, holding no reference */
extern GDBusWorker *_g_dbus_worker_new(GDBusWorkerMessageReceivedCallback message_received,
				       void *user_data);
/* tells the worker to stop; callbacks may still run in its thread afterwards */
extern void _g_dbus_worker_stop(GDBusWorker *worker);
/* runs the filters and dispatches the message; the caller holds a reference on connection */
extern void distribute_message(GDBusConnection *connection, GDBusMessage *message);

/* caller holds message_bus_lock */
static GDBusConnection *alive_connections_lookup(void *user_data)
{
	GDBusConnection *c;

	for (c = alive_connections; c != NULL; c = c->alive_next)
		if (c == user_data)
			return c;
	return NULL;
}

/* caller holds message_bus_lock */
static void alive_connections_remove(GDBusConnection *connection)
{
	GDBusConnection **p;

	for (p = &alive_connections; *p != NULL; p = &(*p)->alive_next) {
		if (*p == connection) {
			*p = connection->alive_next;
			return;
		}
	}
}

/* dispose + finalize: runs on the last unref */
static void g_dbus_connection_dispose(struct kref *ref)
{
	GDBusConnection *connection = container_of(ref, GDBusConnection, ref);

	pthread_mutex_lock(&message_bus_lock);
	pthread_mutex_lock(&connection->lock);
	if (connection->worker != NULL) {
		_g_dbus_worker_stop(connection->worker);
		connection->worker = NULL;
	}
	alive_connections_remove(connection);
	pthread_mutex_unlock(&connection->lock);
	pthread_mutex_unlock(&message_bus_lock);

	pthread_mutex_destroy(&connection->lock);
	free(connection);
}

void g_dbus_connection_unref(GDBusConnection *connection)
{
	kref_put(&connection->ref, g_dbus_connection_dispose);
}

/* Called in GDBusWorker's thread, with no lock held */
static void on_worker_message_received(GDBusWorker *worker, GDBusMessage *message,
				       void *user_data)
{
	GDBusConnection *connection;

	(void)worker;
	pthread_mutex_lock(&message_bus_lock);
	connection = alive_connections_lookup(user_data);
	if (connection == NULL || !kref_get_unless_zero(&connection->ref)) {
		pthread_mutex_unlock(&message_bus_lock);
		return;
	}
	pthread_mutex_unlock(&message_bus_lock);

	distribute_message(connection, message);

	g_dbus_connection_unref(connection);
}

int initable_init(GDBusConnection *connection)
{
	pthread_mutex_lock(&message_bus_lock);
	connection->alive_next = alive_connections;
	alive_connections = connection;
	pthread_mutex_unlock(&message_bus_lock);

	connection->worker = _g_dbus_worker_new(on_worker_message_received, connection);
	return connection->worker != NULL;
}

GDBusConnection *g_dbus_connection_new(void)
{
	GDBusConnection *connection = calloc(1, sizeof(*connection));

	if (connection == NULL)
		return NULL;
	kref_init(&connection->ref);
	pthread_mutex_init(&connection->lock, NULL);
	return connection;
}
