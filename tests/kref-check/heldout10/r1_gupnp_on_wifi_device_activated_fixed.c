/* SPDX-License-Identifier: MIT */
/*
 * Project: GNOME/gupnp
 * Path:    libgupnp/gupnp-network-manager.c
 * Fix:     a9e09f06a06f4ee8686c83f94cfc58a3383f352e
 * Bug:     on_wifi_device_activated() passes the refcounted NMDevice as the
 *          user data of an asynchronous D-Bus proxy creation without taking
 *          a reference, so the device can be freed (DeviceRemoved) before
 *          ap_proxy_new_cb() runs.
 */
#include <stdlib.h>
#include <string.h>
#include <kref.h>

struct GUPnPNetworkManager;

typedef struct {
	struct kref ref;
	struct GUPnPNetworkManager *manager;
	void *proxy;		/* org.freedesktop.NetworkManager.Device */
	void *wifi_proxy;	/* ...Device.Wireless */
	void *ap_proxy;		/* ...AccessPoint */
	void *context;		/* the UPnP context of this device */
} NMDevice;

/* drops the proxies and the context of a device */
extern void nm_device_clear_members(NMDevice *nm_device);
/* returns a newly allocated string, the object path of the active AP, or NULL */
extern char *wifi_proxy_get_active_ap_path(void *wifi_proxy);
/* returns the manager's cancellable (borrowed) */
extern void *network_manager_get_cancellable(struct GUPnPNetworkManager *manager);
/* starts creating a proxy for path; calls cb(result, user_data) later from the main loop */
extern void dbus_proxy_new_async(const char *path, void *cancellable,
				 void (*cb)(void *result, void *user_data),
				 void *user_data);
/* finishes the proxy creation, returns a new proxy or NULL on error */
extern void *dbus_proxy_new_finish(void *result);
/* creates the UPnP context for the device's interface */
extern void create_context_for_device(NMDevice *nm_device);

static void nm_device_release(struct kref *ref)
{
	NMDevice *nm_device = container_of(ref, NMDevice, ref);

	nm_device_clear_members(nm_device);
	free(nm_device);
}

NMDevice *
nm_device_ref(NMDevice *nm_device)
{
	kref_get(&nm_device->ref);
	return nm_device;
}

void
nm_device_unref(NMDevice *nm_device)
{
	kref_put(&nm_device->ref, nm_device_release);
}

static void
ap_proxy_new_cb(void *result, void *user_data)
{
	NMDevice *nm_device = user_data;

	nm_device->ap_proxy = dbus_proxy_new_finish(result);
	if (nm_device->ap_proxy == NULL)
		goto done;

	create_context_for_device(nm_device);

done:
	nm_device_unref(nm_device);
}

void
on_wifi_device_activated(NMDevice *nm_device)
{
	char *ap_path;

	ap_path = wifi_proxy_get_active_ap_path(nm_device->wifi_proxy);
	if (ap_path == NULL)
		return;

	if (strcmp(ap_path, "/") != 0)
		dbus_proxy_new_async(ap_path,
				     network_manager_get_cancellable(nm_device->manager),
				     ap_proxy_new_cb,
				     nm_device_ref(nm_device));

	free(ap_path);
}
