/* SPDX-License-Identifier: MIT */
/*
 * Project: GNOME/tracker-miners
 * Path:    src/tracker-miner-fs/tracker-thumbnailer.c
 * Fix:     c662b4c294daacf07a2e8499b305f56afc3edefe
 * Bug:     when the thumbnailer's GetSupported call fails,
 *          tracker_thumbnailer_init() unrefs both D-Bus proxies but leaves
 *          the pointers in the private struct, and private_free() unrefs
 *          them again at shutdown.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <kref.h>

/* GObject's reference count, here a kref */
typedef struct {
	struct kref ref;
	const char *path;
} DBusGProxy;

typedef struct {
	DBusGProxy *requester_proxy;	/* owned */
	DBusGProxy *manager_proxy;	/* owned */
	char **supported_mime_types;
	bool service_is_available;
	unsigned int request_id;
} TrackerThumbnailerPrivate;

static TrackerThumbnailerPrivate *thumbnailer_private;	/* g_static_private slot */

/* gets the session bus connection; returns NULL on failure */
extern void *dbus_g_bus_get_session(void);
/* creates a proxy for the thumbnailer service; returns a new reference */
extern DBusGProxy *dbus_g_proxy_new_for_name(void *connection, const char *path);
/* calls GetSupported on the proxy; returns false on error, no reference */
extern bool dbus_g_proxy_call_get_supported(DBusGProxy *proxy, char ***mime_types);
/* frees a NULL-terminated string vector */
extern void g_strfreev(char **strv);

static void dbus_g_proxy_finalize(struct kref *ref)
{
	DBusGProxy *proxy = container_of(ref, DBusGProxy, ref);

	free(proxy);
}

/* g_object_unref() for a proxy */
void g_object_unref(DBusGProxy *proxy)
{
	kref_put(&proxy->ref, dbus_g_proxy_finalize);
}

/* destroy notify of the private slot, run at shutdown */
static void private_free(TrackerThumbnailerPrivate *private)
{
	if (private->requester_proxy) {
		g_object_unref(private->requester_proxy);
	}

	if (private->manager_proxy) {
		g_object_unref(private->manager_proxy);
	}

	g_strfreev(private->supported_mime_types);
	free(private);
}

bool tracker_thumbnailer_init(void)
{
	TrackerThumbnailerPrivate *private;
	void *connection;
	char **mime_types = NULL;

	private = calloc(1, sizeof(*private));
	if (private == NULL)
		return false;

	/* Don't start at 0, start at 1. */
	private->request_id = 1;
	thumbnailer_private = private;

	connection = dbus_g_bus_get_session();
	if (!connection) {
		private->service_is_available = false;
		return false;
	}

	private->requester_proxy =
		dbus_g_proxy_new_for_name(connection, "/org/freedesktop/thumbnailer/Generic");
	private->manager_proxy =
		dbus_g_proxy_new_for_name(connection, "/org/freedesktop/thumbnailer/Manager");

	if (!dbus_g_proxy_call_get_supported(private->manager_proxy, &mime_types)) {
		if (private->requester_proxy) {
			g_object_unref(private->requester_proxy);
			private->requester_proxy = NULL;
		}

		if (private->manager_proxy) {
			g_object_unref(private->manager_proxy);
			private->manager_proxy = NULL;
		}

		return false;
	} else if (mime_types) {
		private->supported_mime_types = mime_types;
		private->service_is_available = true;
	}

	return true;
}

void tracker_thumbnailer_shutdown(void)
{
	if (thumbnailer_private) {
		private_free(thumbnailer_private);
		thumbnailer_private = NULL;
	}
}
