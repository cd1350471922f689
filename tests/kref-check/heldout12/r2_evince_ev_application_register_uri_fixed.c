/* SPDX-License-Identifier: MIT */
/*
 * Project: GNOME/evince
 * Path: shell/ev-application.c
 * Fix: f480eea33f494d7e28ab82cb2cf6105861886c6a
 * Bug: ev_application_register_uri() stored the reply of the second
 * synchronous D-Bus call (OpenURI) in the variable that still held the
 * reference to the first reply (RegisterDocument), so the first reply was
 * never unreffed (and the owner name borrowed from it was still in use).
 */
#include <stdbool.h>
#include <stddef.h>
#include <kref.h>

typedef struct gvariant {
	struct kref ref;
	const char *str;
} GVariant;

typedef struct gdbus_connection GDBusConnection;

typedef struct ev_application {
	GDBusConnection *connection;
} EvApplication;

/* frees a variant once its last reference is gone */
extern void g_variant_release(struct kref *ref);
/* calls a D-Bus method; returns a new reference to the reply or NULL */
extern GVariant *g_dbus_connection_invoke_method_sync(GDBusConnection *c,
						      const char *dest,
						      const char *method,
						      const char *arg);
/* logs a warning */
extern void g_warning(const char *msg);

static void g_variant_unref(GVariant *value)
{
	kref_put(&value->ref, g_variant_release);
}

/* returns a string borrowed from value */
static const char *g_variant_get_string(GVariant *value)
{
	return value->str;
}

bool ev_application_register_uri(EvApplication *application, const char *uri)
{
	GVariant *value, *value2;
	const char *owner;

	if (!application->connection)
		return true;

	value = g_dbus_connection_invoke_method_sync(application->connection,
						     "org.gnome.evince.Daemon",
						     "RegisterDocument", uri);
	if (value == NULL) {
		g_warning("Error registering document");
		return true;
	}

	owner = g_variant_get_string(value);

	if (owner[0] != ':') {
		g_variant_unref(value);
		return true;
	}

	/* Already registered: ask the owner to open it */
	value2 = g_dbus_connection_invoke_method_sync(application->connection,
						      owner, "OpenURI", uri);
	if (value2 == NULL)
		g_warning("OpenURI failed");

	g_variant_unref(value);
	if (value2)
		g_variant_unref(value2);

	/* Do not continue opening this document */
	return false;
}
