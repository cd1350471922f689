/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (not a copy) of a refcount bug fixed in PipeWire.
 *
 * Repository: PipeWire/pipewire
 * Commit:     2b515b5e504b90e20a4ee02345c1374bc7ec7a6c
 * Title:      "dbus: keep a ref to DBusConnection if reconnecting is not
 *             handled"
 * Path:       src/modules/module-portal.c (and spa/plugins/support/dbus.c,
 *             bluez5-dbus.c, pw-reserve.c, dbus-name.c)
 * Function:   init_dbus_connection()
 *
 * The portal module asks spa_dbus for a session bus wrapper and keeps the
 * DBusConnection it gets from spa_dbus_connection_get() in impl->bus for
 * the life of the module: the NameOwnerChanged filter sends
 * GetConnectionUnixProcessID on it whenever the portal restarts.  get()
 * does not give the caller a reference: spa_dbus owns the handle and
 * unrefs it when the bus disconnects.  The module does not handle the
 * disconnect, so it goes on using a freed DBusConnection.  Fixed by
 * dbus_connection_ref (impl->bus) after the get, and dbus_connection_unref
 * in module_destroy() (other users got the same fix; one is modelled).
 *
 * The DBusConnection's count is modelled with a struct kref.
 */
#include <errno.h>
#include <stdlib.h>
#include <kref.h>

typedef struct DBusConnection {
	struct kref refcount;
	int fd;
} DBusConnection;

static void dbus_connection_release(struct kref *kref)
{
	DBusConnection *conn = container_of(kref, DBusConnection, refcount);

	free(conn);
}

DBusConnection *dbus_connection_ref(DBusConnection *conn)
{
	kref_get(&conn->refcount);
	return conn;
}

void dbus_connection_unref(DBusConnection *conn)
{
	kref_put(&conn->refcount, dbus_connection_release);
}

/* libdbus calls on a live connection; the filter calls handler (conn, msg,
 * user_data) for each incoming message from the dispatch loop */
extern int dbus_bus_add_match(DBusConnection *conn, const char *rule);
extern int dbus_connection_add_filter(DBusConnection *conn,
				      int (*handler)(DBusConnection *, void *, void *),
				      void *user_data);
extern int dbus_connection_send_with_reply(DBusConnection *conn,
					   const char *method, void **pending);

/* spa_dbus: a wrapper owning the one reference to the handle */
struct spa_dbus_connection {
	DBusConnection *conn;
};

/* the Disconnected signal: spa_dbus drops its handle, then emits the
 * "disconnected" event, which the portal module does not listen to */
void spa_dbus_connection_disconnected(struct spa_dbus_connection *this)
{
	if (this->conn)
		dbus_connection_unref(this->conn);
	this->conn = NULL;
}

/* returns the handle; the caller gets no reference */
DBusConnection *spa_dbus_connection_get(struct spa_dbus_connection *this)
{
	return this->conn;
}

void spa_dbus_connection_destroy(struct spa_dbus_connection *this)
{
	if (this->conn)
		dbus_connection_unref(this->conn);
	free(this);
}

struct impl {
	struct spa_dbus_connection *conn;	/* destroyed by module_destroy() */
	DBusConnection *bus;
	void *portal_pid_pending;
	int portal_pid;
};

static void update_portal_pid(struct impl *impl)
{
	impl->portal_pid = 0;
	dbus_connection_send_with_reply(impl->bus, "GetConnectionUnixProcessID",
					&impl->portal_pid_pending);
}

/* NameOwnerChanged for org.freedesktop.portal.Desktop */
static int name_owner_changed_handler(DBusConnection *connection,
				      void *message, void *user_data)
{
	update_portal_pid(user_data);
	return 1;
}

static int init_dbus_connection(struct impl *impl)
{
	impl->bus = spa_dbus_connection_get(impl->conn); /* expect: rule 1 */
	if (impl->bus == NULL)
		return -EIO;

	if (!dbus_bus_add_match(impl->bus, "member='NameOwnerChanged'"))
		return -EIO;

	dbus_connection_add_filter(impl->bus, name_owner_changed_handler, impl);

	update_portal_pid(impl);

	return 0;
}

/* the module's destroy event, also used on a failed init */
void module_destroy(struct impl *impl)
{
	spa_dbus_connection_destroy(impl->conn);
	free(impl);
}

int pipewire__module_init(struct spa_dbus_connection *session_bus,
			  struct impl **out)
{
	struct impl *impl;
	int res;

	impl = calloc(1, sizeof(*impl));
	if (impl == NULL)
		return -ENOMEM;

	impl->conn = session_bus;
	if ((res = init_dbus_connection(impl)) < 0) {
		module_destroy(impl);
		return res;
	}
	*out = impl;
	return 0;
}
