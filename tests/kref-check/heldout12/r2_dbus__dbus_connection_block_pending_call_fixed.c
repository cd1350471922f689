/* SPDX-License-Identifier: MIT */
/*
 * Project: freedesktop/dbus
 * Path: dbus/dbus-connection.c
 * Fix: ad17155f266239ce82b052abb1893c21b31da55f
 * Bug: when the connection was found disconnected,
 * _dbus_connection_block_pending_call() built a local error reply and
 * handed it to complete_pending_call_and_unlock(), which takes its own
 * reference for the pending call, but never dropped the reference it got
 * from generate_local_error_message(), so the error message leaked.
 */
#include <stdbool.h>
#include <stddef.h>
#include <kref.h>

typedef struct dbus_message {
	struct kref ref;
	unsigned int reply_serial;
} DBusMessage;

typedef struct dbus_pending_call {
	struct kref ref;
	DBusMessage *reply;
	unsigned int serial;
} DBusPendingCall;

typedef struct dbus_connection DBusConnection;

/* free a message / a pending call once the last reference is gone */
extern void dbus_message_release(struct kref *ref);
extern void dbus_pending_call_release(struct kref *ref);
/* returns a new error message (one reference) or NULL on OOM */
extern DBusMessage *generate_local_error_message(unsigned int serial,
						 const char *error_name,
						 const char *error_msg);
/* drops the connection lock after detaching the pending call */
extern void _dbus_connection_detach_pending_call_and_unlock(
	DBusConnection *connection, DBusPendingCall *pending);
/* runs the pending call's notify callback */
extern void _dbus_pending_call_complete(DBusPendingCall *pending);
/* whether the connection is still connected (lock held) */
extern bool _dbus_connection_get_is_connected_unlocked(DBusConnection *c);
/* the connection a pending call belongs to (borrowed) */
extern DBusConnection *_dbus_pending_call_get_connection(DBusPendingCall *p);
/* takes the connection lock */
extern void CONNECTION_LOCK(DBusConnection *connection);
/* waits for the reply on a connected connection, drops the lock */
extern void block_for_reply_and_unlock(DBusConnection *c,
				       DBusPendingCall *pending);

DBusMessage *dbus_message_ref(DBusMessage *message)
{
	kref_get(&message->ref);
	return message;
}

void dbus_message_unref(DBusMessage *message)
{
	kref_put(&message->ref, dbus_message_release);
}

DBusPendingCall *dbus_pending_call_ref(DBusPendingCall *pending)
{
	kref_get(&pending->ref);
	return pending;
}

void dbus_pending_call_unref(DBusPendingCall *pending)
{
	kref_put(&pending->ref, dbus_pending_call_release);
}

/* the pending call keeps its own reference to the reply */
static void _dbus_pending_call_set_reply_unlocked(DBusPendingCall *pending,
						  DBusMessage *message)
{
	if (message)
		pending->reply = dbus_message_ref(message);
}

static void complete_pending_call_and_unlock(DBusConnection *connection,
					     DBusPendingCall *pending,
					     DBusMessage *message)
{
	_dbus_pending_call_set_reply_unlocked(pending, message);
	dbus_pending_call_ref(pending);
	_dbus_connection_detach_pending_call_and_unlock(connection, pending);

	_dbus_pending_call_complete(pending);
	dbus_pending_call_unref(pending);
}

void _dbus_connection_block_pending_call(DBusPendingCall *pending)
{
	DBusConnection *connection = _dbus_pending_call_get_connection(pending);

	dbus_pending_call_ref(pending);
	CONNECTION_LOCK(connection);

	if (!_dbus_connection_get_is_connected_unlocked(connection)) {
		DBusMessage *error_msg;

		error_msg = generate_local_error_message(pending->serial,
			"org.freedesktop.DBus.Error.Disconnected",
			"Connection was disconnected before a reply was received");

		/* on OOM error_msg is set to NULL */
		complete_pending_call_and_unlock(connection, pending, error_msg);
		if (error_msg != NULL)
			dbus_message_unref(error_msg);
		dbus_pending_call_unref(pending);
		return;
	}

	block_for_reply_and_unlock(connection, pending);
	dbus_pending_call_unref(pending);
}
