/* SPDX-License-Identifier: MIT */
/*
 * Source: PipeWire, commit 9c788d0c7ea08b3181b5b9acc5014bf47cdd9eeb
 * ("bluez5: unref pending calls after cancel"),
 * spa/plugins/bluez5/bluez5-dbus.c, do_transport_release() (and
 * spa_bt_transport_free()).  Cancelling the pending Acquire call does not
 * drop the reference the transport holds in acquire_call.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <unistd.h>
#include <kref.h>

typedef struct DBusPendingCall {
	struct kref ref;
	void (*notify)(struct DBusPendingCall *pending, void *user_data);
	void *user_data;
	bool completed;
} DBusPendingCall;

typedef struct DBusConnection DBusConnection;
typedef struct DBusMessage DBusMessage;

struct spa_bt_monitor {
	DBusConnection *conn;
};

struct spa_bt_transport {
	struct spa_bt_monitor *monitor;
	const char *path;
	int fd;
	bool acquired;
	DBusPendingCall *acquire_call;
};

/* Builds a method call; returns a new message reference or NULL. */
extern DBusMessage *dbus_message_new_method_call(const char *dest, const char *path,
		const char *iface, const char *method);
extern void dbus_message_unref(DBusMessage *m);
/* Queues the message; on success *pending_return holds a new reference to
 * the pending call for the caller (the connection keeps its own until the
 * reply arrives or the call is cancelled). */
extern bool dbus_connection_send_with_reply(DBusConnection *conn, DBusMessage *m,
		DBusPendingCall **pending_return, int timeout);
/* Sends and waits; returns a new reply reference or NULL. */
extern DBusMessage *dbus_connection_send_with_reply_and_block(DBusConnection *conn,
		DBusMessage *m, int timeout);
/* Takes the reply out of the completed call; the call keeps no pointer to it. */
extern DBusMessage *dbus_pending_call_steal_reply(DBusPendingCall *pending);
/* Stops waiting for the reply: the connection drops its own reference,
 * the caller's reference is left alone. */
extern void dbus_pending_call_cancel(DBusPendingCall *pending);
extern int transport_handle_acquire_reply(struct spa_bt_transport *transport, DBusMessage *r);

static void dbus_pending_call_free(struct kref *ref)
{
	DBusPendingCall *pending = container_of(ref, DBusPendingCall, ref);

	free(pending);
}

void dbus_pending_call_unref(DBusPendingCall *pending)
{
	kref_put(&pending->ref, dbus_pending_call_free);
}

bool dbus_pending_call_set_notify(DBusPendingCall *pending,
		void (*function)(DBusPendingCall *, void *), void *user_data)
{
	pending->notify = function;
	pending->user_data = user_data;
	return true;
}

static void transport_acquire_reply(DBusPendingCall *pending, void *user_data)
{
	struct spa_bt_transport *transport = user_data;
	DBusMessage *r;

	r = dbus_pending_call_steal_reply(pending);

	dbus_pending_call_unref(pending);
	transport->acquire_call = NULL;

	if (transport_handle_acquire_reply(transport, r) == 0)
		transport->acquired = true;

	dbus_message_unref(r);
}

int do_transport_acquire(struct spa_bt_transport *transport)
{
	struct spa_bt_monitor *monitor = transport->monitor;
	DBusMessage *m;
	bool ret;

	if (transport->acquire_call)
		return -EBUSY;

	m = dbus_message_new_method_call("org.bluez", transport->path,
			"org.bluez.MediaTransport1", "Acquire");
	if (m == NULL)
		return -ENOMEM;

	ret = dbus_connection_send_with_reply(monitor->conn, m, &transport->acquire_call, -1);
	dbus_message_unref(m);

	if (!ret || transport->acquire_call == NULL)
		return -EIO;

	ret = dbus_pending_call_set_notify(transport->acquire_call, transport_acquire_reply, transport);
	if (!ret)
		return -EIO;

	return 0;
}

int do_transport_release(struct spa_bt_transport *transport)
{
	struct spa_bt_monitor *monitor = transport->monitor;
	DBusMessage *m, *r;

	if (transport->acquire_call) {
		dbus_pending_call_cancel(transport->acquire_call);
		dbus_pending_call_unref(transport->acquire_call);
		transport->acquire_call = NULL;
	}

	if (transport->fd >= 0) {
		close(transport->fd);
		transport->fd = -1;
	}
	transport->acquired = false;

	m = dbus_message_new_method_call("org.bluez", transport->path,
			"org.bluez.MediaTransport1", "Release");
	if (m == NULL)
		return -ENOMEM;

	r = dbus_connection_send_with_reply_and_block(monitor->conn, m, -1);
	dbus_message_unref(m);

	if (r != NULL)
		dbus_message_unref(r);

	return 0;
}
