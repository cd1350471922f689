/* SPDX-License-Identifier: MIT */
/*
 * Source: NetworkManager (nmcli), fix commit
 * ba45b5ac6f8b3521e5487ac9c1385b33d07e334b ("cli: take a reference to the
 * device when activating"), clients/cli/connections.c.
 * nmc_activate_connection() kept the device it got from the client's cache
 * in the ActivateConnectionInfo that lives until the activation finishes,
 * without a reference; the device can go away in between and
 * activate_connection_info_finish() then disconnects its handler from a
 * freed object.  The fix refs the device when it is stored and unrefs it
 * in activate_connection_info_finish().  Reconstructed on struct kref
 * (GObject's count in the original).
 */
#include <kref.h>
#include <stdbool.h>
#include <stdlib.h>

typedef struct _NMClient NMClient;
typedef struct _NMConnection NMConnection;
typedef struct _GAsyncResult GAsyncResult;
typedef void (*GAsyncReadyCallback)(void *source, GAsyncResult *result,
				    void *user_data);

typedef struct {
	struct kref ref;
	char *iface;
	int state;
} NMDevice;

typedef struct {
	struct kref ref;
	int state;
} NMActiveConnection;

typedef struct {
	NMClient *client;
	int return_value;
	bool nowait_flag;
} NmCli;

typedef struct {
	NmCli *nmc;
	NMDevice *device;
	NMActiveConnection *active;
} ActivateConnectionInfo;

/* The client's device of that name, from the client's cache: no reference
 * for the caller; the cache drops its own when the device is removed. */
extern NMDevice *nm_client_get_device_by_iface(NMClient *client,
					       const char *iface);
/* Starts the D-Bus call; callback(user_data) runs later from the main loop. */
extern void nm_client_activate_connection_async(NMClient *client,
						NMConnection *connection,
						NMDevice *device,
						const char *specific_object,
						void *cancellable,
						GAsyncReadyCallback callback,
						void *user_data);
/* Returns a new reference to the active connection, or NULL. */
extern NMActiveConnection *
nm_client_activate_connection_finish(NMClient *client, GAsyncResult *result);
/* g_signal_connect()/g_signal_handlers_disconnect_by_func() on the device's
 * "notify::state" with info as data. */
extern void nm_device_connect_state_cb(NMDevice *device,
				       ActivateConnectionInfo *info);
extern void nm_device_disconnect_state_cb(NMDevice *device,
					  ActivateConnectionInfo *info);
extern void quit(void);
/* Unlinks the device from the client's cache (the caller drops the
 * cache's reference). */
extern void nm_client_cache_remove_device(NMClient *client, NMDevice *device);

static void nm_device_release(struct kref *ref)
{
	NMDevice *device = container_of(ref, NMDevice, ref);

	free(device->iface);
	free(device);
}

/* The device disappeared from D-Bus. */
void nm_client_device_removed(NMClient *client, NMDevice *device)
{
	nm_client_cache_remove_device(client, device);
	kref_put(&device->ref, nm_device_release);
}

static void nm_active_connection_release(struct kref *ref)
{
	free(container_of(ref, NMActiveConnection, ref));
}

static void activate_connection_info_finish(ActivateConnectionInfo *info)
{
	if (info->device) {
		nm_device_disconnect_state_cb(info->device, info);
		kref_put(&info->device->ref, nm_device_release);
	}

	if (info->active)
		kref_put(&info->active->ref, nm_active_connection_release);

	free(info);
	quit();
}

void device_state_cb(NMDevice *device, ActivateConnectionInfo *info)
{
	if (device->state >= 100)
		activate_connection_info_finish(info);
}

static void activate_connection_cb(void *client, GAsyncResult *result,
				   void *user_data)
{
	ActivateConnectionInfo *info = user_data;
	NmCli *nmc = info->nmc;
	NMActiveConnection *active;

	info->active = active = nm_client_activate_connection_finish(client, result);
	if (!active) {
		nmc->return_value = 1;
		activate_connection_info_finish(info);
		return;
	}

	if (nmc->nowait_flag || active->state == 2) {
		activate_connection_info_finish(info);
		return;
	}

	if (info->device)
		nm_device_connect_state_cb(info->device, info);
}

bool nmc_activate_connection(NmCli *nmc, NMConnection *connection,
			     const char *ifname)
{
	ActivateConnectionInfo *info;
	NMDevice *device = NULL;

	if (ifname) {
		device = nm_client_get_device_by_iface(nmc->client, ifname);
		if (!device)
			return false;
	} else if (!connection) {
		return false;
	}

	info = calloc(1, sizeof(*info));
	if (!info)
		return false;
	info->nmc = nmc;
	if (device) {
		kref_get(&device->ref);
		info->device = device;
	}

	nm_client_activate_connection_async(nmc->client, connection, device,
					    NULL, NULL, activate_connection_cb,
					    info);
	return true;
}
