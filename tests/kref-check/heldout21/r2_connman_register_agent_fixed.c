/* SPDX-License-Identifier: MIT */
/*
 * Project: aldebaran/connman (ConnMan)
 * Path: plugins/neard.c
 * Fix commit: 885e2079a290cfe9d45bb40bdd46b402aa751e59
 * Bug: when sending the RegisterHandoverAgent call fails, register_agent()
 * puts its message reference and then jumps to the exit label, which puts
 * the same reference a second time.
 */
#include <kref.h>
#include <stdbool.h>
#include <stdlib.h>

#define TIMEOUT 5000
#define NEARD_SERVICE "org.neard"
#define NEARD_PATH "/"
#define NEARD_MANAGER_INTERFACE "org.neard.Manager"
#define AGENT_PATH "/net/connman/neard_handover_agent"
#define AGENT_TYPE "wifi"

typedef struct DBusConnection DBusConnection;
typedef struct DBusPendingCall DBusPendingCall;

typedef struct DBusMessage {
	struct kref ref;
	const char *destination;
	const char *path;
	const char *interface;
	const char *method;
	const char *args[2];
} DBusMessage;

/* the plugin's system bus connection */
extern DBusConnection *connection;
/* the pending RegisterHandoverAgent call, if any */
static DBusPendingCall *register_call;

/*
 * queues the message (taking its own reference to it) and stores a
 * pending call in *pending; false on failure, with no reference taken
 */
extern bool dbus_connection_send_with_reply(DBusConnection *conn,
					    DBusMessage *message,
					    DBusPendingCall **pending,
					    int timeout);
/* installs the reply callback; false on failure */
extern bool dbus_pending_call_set_notify(DBusPendingCall *pending,
					 void (*notify)(DBusPendingCall *, void *),
					 void *data, void (*free_data)(void *));
/* handles the reply to RegisterHandoverAgent */
extern void register_agent_cb(DBusPendingCall *pending, void *user_data);
/* cancels and unrefs register_call */
extern void cleanup_register_call(void);

static void dbus_message_release(struct kref *kref)
{
	free(container_of(kref, DBusMessage, ref));
}

DBusMessage *dbus_message_new_method_call(const char *destination,
					  const char *path,
					  const char *interface,
					  const char *method)
{
	DBusMessage *message = calloc(1, sizeof(*message));

	if (!message)
		return NULL;
	kref_init(&message->ref);
	message->destination = destination;
	message->path = path;
	message->interface = interface;
	message->method = method;
	return message;
}

void dbus_message_unref(DBusMessage *message)
{
	kref_put(&message->ref, dbus_message_release);
}

static void dbus_message_append_args(DBusMessage *message,
				     const char *path, const char *type)
{
	message->args[0] = path;
	message->args[1] = type;
}

void register_agent(void)
{
	const char *path = AGENT_PATH;
	const char *type = AGENT_TYPE;
	DBusMessage *message;

	message = dbus_message_new_method_call(NEARD_SERVICE, NEARD_PATH,
					       NEARD_MANAGER_INTERFACE,
					       "RegisterHandoverAgent");
	if (!message)
		return;

	dbus_message_append_args(message, path, type);

	if (!dbus_connection_send_with_reply(connection, message,
					     &register_call, TIMEOUT))
		goto out;

	if (!dbus_pending_call_set_notify(register_call,
					  register_agent_cb, NULL, NULL))
		cleanup_register_call();

out:
	dbus_message_unref(message);
}
