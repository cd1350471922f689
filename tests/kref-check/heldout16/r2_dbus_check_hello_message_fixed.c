/* SPDX-License-Identifier: MIT */
/*
 * Project: freedesktop/dbus
 * Path:    bus/dispatch.c
 * Fix:     15e0bba3f879126b7313ad9eeb95c482109d95a6
 * Bug:     check_hello_message() takes a reference on the connection
 *          "because we may get disconnected", but drops it as soon as the
 *          Hello reply has arrived and then goes on popping and reading
 *          messages from the connection without holding any reference.
 */
#include <kref.h>
#include <stddef.h>
#include <stdint.h>

#define TRUE	1
#define FALSE	0
#define DBUS_SERVICE_DBUS	"org.freedesktop.DBus"
#define DBUS_MESSAGE_TYPE_ERROR	3

typedef unsigned int dbus_bool_t;
typedef uint32_t dbus_uint32_t;
typedef struct BusContext BusContext;
typedef struct DBusMessage DBusMessage;

/* A connection: its refcount is the kref. */
typedef struct DBusConnection {
	struct kref refcount;
} DBusConnection;

/* Closes the connection and frees it (last unref). */
extern void _dbus_connection_last_unref(DBusConnection *connection);
/* Returns a new method call to the bus (owned), or NULL on OOM. */
extern DBusMessage *dbus_message_new_method_call(const char *destination,
						 const char *method);
/* Drops a reference to a message. */
extern void dbus_message_unref(DBusMessage *message);
/* Queues the message; takes its own reference to it. */
extern dbus_bool_t dbus_connection_send(DBusConnection *connection,
					DBusMessage *message,
					dbus_uint32_t *serial);
/* True while the connection is connected. */
extern dbus_bool_t dbus_connection_get_is_connected(DBusConnection *connection);
/* Runs the bus and the test clients until the connection's queue is
 * sent; a disconnect here drops the bus's reference to the connection. */
extern void bus_test_run_clients_loop(DBusConnection *connection);
/* Iterates the main loop until a message from the bus arrives. */
extern void block_connection_until_message_from_bus(BusContext *context,
						    DBusConnection *connection,
						    const char *what);
/* Pops the next incoming message (owned), retrying on OOM; or NULL. */
extern DBusMessage *pop_message_waiting_for_memory(DBusConnection *connection);
/* True when the message was sent by the given bus name. */
extern dbus_bool_t dbus_message_has_sender(DBusMessage *message,
					   const char *sender);
/* Returns the message type. */
extern int dbus_message_get_type(DBusMessage *message);
/* Returns the message's single string argument (borrowed), or NULL. */
extern const char *get_hello_name(DBusMessage *message);
/* Records the unique name on the connection; FALSE on OOM. */
extern dbus_bool_t dbus_bus_set_unique_name(DBusConnection *connection,
					    const char *name);

static void dbus_connection_release(struct kref *kref)
{
	_dbus_connection_last_unref(container_of(kref, DBusConnection,
						 refcount));
}

static DBusConnection *dbus_connection_ref(DBusConnection *connection)
{
	kref_get(&connection->refcount);
	return connection;
}

static void dbus_connection_unref(DBusConnection *connection)
{
	kref_put(&connection->refcount, dbus_connection_release);
}

dbus_bool_t check_hello_message(BusContext *context,
				DBusConnection *connection)
{
	DBusMessage *message;
	dbus_uint32_t serial;
	dbus_bool_t retval = FALSE;
	const char *name;

	message = dbus_message_new_method_call(DBUS_SERVICE_DBUS, "Hello");
	if (message == NULL)
		return TRUE;

	dbus_connection_ref(connection); /* because we may get disconnected */

	if (!dbus_connection_send(connection, message, &serial)) {
		dbus_message_unref(message);
		dbus_connection_unref(connection);
		return TRUE;
	}

	dbus_message_unref(message);
	message = NULL;

	if (!dbus_connection_get_is_connected(connection)) {
		/* presumably auth failed */
		dbus_connection_unref(connection);
		return TRUE;
	}

	/* send our message */
	bus_test_run_clients_loop(connection);

	if (!dbus_connection_get_is_connected(connection)) {
		dbus_connection_unref(connection);
		return TRUE;
	}

	block_connection_until_message_from_bus(context, connection,
						"reply to Hello");

	if (!dbus_connection_get_is_connected(connection)) {
		dbus_connection_unref(connection);
		return TRUE;
	}

	message = pop_message_waiting_for_memory(connection);
	if (message == NULL)
		goto out;

	if (!dbus_message_has_sender(message, DBUS_SERVICE_DBUS))
		goto out;

	if (dbus_message_get_type(message) != DBUS_MESSAGE_TYPE_ERROR) {
		name = get_hello_name(message);
		if (name == NULL)
			goto out;

		while (!dbus_bus_set_unique_name(connection, name))
			;	/* _dbus_wait_for_memory () */
	}

	retval = TRUE;

out:
	if (message)
		dbus_message_unref(message);

	dbus_connection_unref(connection);

	return retval;
}
