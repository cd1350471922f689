/* SPDX-License-Identifier: MIT */
/*
 * Project: ClusterLabs/pacemaker
 * Path: lib/services/dbus.c
 * Fix commit: b56e703fed884f94e739513ab6b9d4a368a8abdd
 * Bug: when allocating the query record fails, pcmk_dbus_get_property()
 * returns NULL without dropping its reference on the method-call message.
 */
#include <stdlib.h>
#include <string.h>
#include <kref.h>

/* a DBus message; libdbus counts it with dbus_message_ref/unref */
typedef struct DBusMessage {
	struct kref refcount;
	char *destination;
	char *path;
	char *method;
	char *args;
} DBusMessage;

typedef struct DBusConnection DBusConnection;
typedef struct DBusPendingCall DBusPendingCall;

typedef void (*property_callback_func)(const char *name, const char *value,
				       void *userdata);

struct property_query {
	char *name;
	char *target;
	char *object;
	void *userdata;
	property_callback_func callback;
};

/* new method-call message with a count of 1, or NULL */
extern DBusMessage *dbus_message_new_method_call(const char *dest, const char *path,
						 const char *iface, const char *method);
/* appends a string argument; nonzero on success */
extern int dbus_message_append_string(DBusMessage *msg, const char *arg);
/* sends @msg (taking its own reference for the send queue); the reply is
 * handed to async_query_result_cb() later; NULL if it could not be sent */
extern DBusPendingCall *pcmk_dbus_send(DBusMessage *msg, DBusConnection *connection,
				       struct property_query *query_data, int timeout);
/* sends @msg and waits; returns the reply with a count of 1, or NULL */
extern DBusMessage *pcmk_dbus_send_recv(DBusMessage *msg, DBusConnection *connection,
					int timeout);
/* reads the property out of @reply; returns a malloc'ed string or NULL and
 * frees @query_data */
extern char *handle_query_result(DBusMessage *reply, struct property_query *query_data);
/* frees the strings of @query_data and @query_data itself */
extern void free_property_query(struct property_query *query_data);

static void dbus_message_finalize(struct kref *ref)
{
	DBusMessage *msg = container_of(ref, DBusMessage, refcount);

	free(msg->destination);
	free(msg->path);
	free(msg->method);
	free(msg->args);
	free(msg);
}

void dbus_message_unref(DBusMessage *msg)
{
	kref_put(&msg->refcount, dbus_message_finalize);
}

char *pcmk_dbus_get_property(DBusConnection *connection, const char *target,
			     const char *obj, const char *iface, const char *name,
			     property_callback_func callback, void *userdata,
			     DBusPendingCall **pending, int timeout)
{
	DBusMessage *msg;
	char *output = NULL;
	struct property_query *query_data;

	msg = dbus_message_new_method_call(target, obj,
					   "org.freedesktop.DBus.Properties", "GetAll");
	if (msg == NULL)
		return NULL;

	dbus_message_append_string(msg, iface);

	query_data = malloc(sizeof(*query_data));
	if (query_data == NULL) {
		/* out of memory */
		dbus_message_unref(msg);
		return NULL;
	}

	query_data->target = strdup(target);
	query_data->object = strdup(obj);
	query_data->callback = callback;
	query_data->userdata = userdata;
	query_data->name = name ? strdup(name) : NULL;

	if (query_data->callback) {
		DBusPendingCall *local_pending;

		local_pending = pcmk_dbus_send(msg, connection, query_data, timeout);
		if (local_pending == NULL) {
			/* the reply callback will not run */
			free_property_query(query_data);
			query_data = NULL;
		}
		if (pending)
			*pending = local_pending;
	} else {
		DBusMessage *reply = pcmk_dbus_send_recv(msg, connection, timeout);

		output = handle_query_result(reply, query_data);
		if (reply)
			dbus_message_unref(reply);
	}

	dbus_message_unref(msg);
	return output;
}
