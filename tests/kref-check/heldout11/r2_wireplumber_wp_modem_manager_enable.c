/* SPDX-License-Identifier: MIT */
/*
 * Project: PipeWire/wireplumber
 * Path: modules/module-modem-manager.c
 * Fix commit: 3fb5b775eed9343dad91ad1818ebf27a950f59be
 * Bug: reading the plugin's "core" property returns a strong reference to
 * the WpCore, which wp_modem_manager_enable() never drops, on its error
 * return or at its end.
 */
#include <stdlib.h>
#include <kref.h>

typedef struct WpCore {
	struct kref ref;
} WpCore;

typedef struct GDBusConnection {
	struct kref ref;
} GDBusConnection;

typedef struct WpPlugin WpPlugin;
typedef struct WpTransition WpTransition;
typedef struct GError GError;

typedef struct WpModemManager {
	WpPlugin *plugin;
	struct WpDBus *dbus;
} WpModemManager;

/* the modem manager instance behind the plugin (a cast) */
extern WpModemManager *WP_MODEM_MANAGER(WpPlugin *self);
/* reads the "core" property: returns a new reference on the core */
extern WpCore *wp_object_get_core(WpPlugin *self);
/* returns a new reference on the named plugin of the core, or NULL */
extern struct WpDBus *wp_plugin_find(WpCore *core, const char *name);
/* reads the "connection" property: returns a new reference, or NULL */
extern GDBusConnection *wp_dbus_get_connection(struct WpDBus *dbus);
/* creates a new error */
extern GError *wp_error_new(const char *message);
/* fails the transition; takes ownership of the error */
extern void wp_transition_return_error(WpTransition *transition, GError *err);
/* connects the state handler; the connection does not keep wpmm alive */
extern void wp_dbus_connect_state_changed(struct WpDBus *dbus, WpModemManager *wpmm);
/* starts creating the object manager; the callback gets the transition */
extern void g_dbus_object_manager_client_new(GDBusConnection *conn,
					     const char *name,
					     const char *object_path,
					     WpTransition *transition);

static void wp_core_release(struct kref *ref)
{
	free(container_of(ref, WpCore, ref));
}

static void g_dbus_connection_release(struct kref *ref)
{
	free(container_of(ref, GDBusConnection, ref));
}

/* what g_autoptr (WpCore) and g_autoptr (GDBusConnection) run at scope exit */
KREF_DEFINE_PUT(WpCore_autoptr, WpCore, ref, wp_core_release);
KREF_DEFINE_PUT(GDBusConnection_autoptr, GDBusConnection, ref, g_dbus_connection_release);

void wp_modem_manager_enable(WpPlugin *self, WpTransition *transition)
{
	WpModemManager *wpmm = WP_MODEM_MANAGER(self);
	WpCore *core;
	GError *err;
	GDBusConnection *conn __free(GDBusConnection_autoptr) = NULL;

	core = wp_object_get_core(self);

	wpmm->dbus = wp_plugin_find(core, "system-dbus-connection");
	if (!wpmm->dbus) {
		err = wp_error_new("dbus-connection module must be loaded before modem-manager");
		wp_transition_return_error(transition, err);
		return; /* expect: rule 2 */
	}

	wp_dbus_connect_state_changed(wpmm->dbus, wpmm);

	conn = wp_dbus_get_connection(wpmm->dbus);
	g_dbus_object_manager_client_new(conn,
					 "org.freedesktop.ModemManager1",
					 "/org/freedesktop/ModemManager1",
					 transition);
}
