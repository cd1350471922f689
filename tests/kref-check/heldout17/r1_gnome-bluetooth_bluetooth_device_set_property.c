/* SPDX-License-Identifier: MIT */
/*
 * Project: GNOME/gnome-bluetooth
 * Path:    lib/bluetooth-device.c
 * Fix:     d5e6cf050c39f45c6bafa7466f89b530f638211d
 * Bug:     bluetooth_device_set_property() stores the "proxy" property's
 *          D-Bus proxy in the device with g_value_get_object() (no reference)
 *          although the device drops a reference to it when the proxy is
 *          replaced and at finalize; the fix uses g_value_dup_object().
 */
#include <kref.h>
#include <stddef.h>
#include <stdlib.h>

typedef struct _GDBusProxy {
	struct kref ref;
	char *object_path;
} GDBusProxy;

/* the GValue of a property: the caller keeps its own reference */
typedef struct {
	GDBusProxy *v_object;
	int v_boolean;
} GValue;

enum {
	PROP_0,
	PROP_PROXY,
	PROP_PAIRED,
};

typedef struct _BluetoothDevice {
	struct kref ref;
	GDBusProxy *proxy;
	int paired;
} BluetoothDevice;

/* Frees a string. */
extern void g_free(void *mem);
/* Warns about an unknown property id. */
extern void g_object_warn_invalid_property_id(BluetoothDevice *device,
					      unsigned int property_id);

static void g_dbus_proxy_release(struct kref *ref)
{
	GDBusProxy *proxy = container_of(ref, GDBusProxy, ref);

	g_free(proxy->object_path);
	free(proxy);
}

static void g_clear_proxy(GDBusProxy **pp)
{
	GDBusProxy *proxy = *pp;

	*pp = NULL;
	if (proxy)
		kref_put(&proxy->ref, g_dbus_proxy_release);
}

/* returns the value's object without a new reference */
GDBusProxy *g_value_get_object(const GValue *value)
{
	return value->v_object;
}

/* returns the value's object with a new reference */
GDBusProxy *g_value_dup_object(const GValue *value)
{
	if (value->v_object)
		kref_get(&value->v_object->ref);
	return value->v_object;
}

void bluetooth_device_set_property(BluetoothDevice *device,
				   unsigned int property_id,
				   const GValue *value)
{
	switch (property_id) {
	case PROP_PROXY:
		g_clear_proxy(&device->proxy);
		device->proxy = g_value_get_object(value); /* expect: rule 1 */
		break;
	case PROP_PAIRED:
		device->paired = value->v_boolean;
		break;
	default:
		g_object_warn_invalid_property_id(device, property_id);
		break;
	}
}

static void bluetooth_device_finalize(struct kref *ref)
{
	BluetoothDevice *device = container_of(ref, BluetoothDevice, ref);

	g_clear_proxy(&device->proxy);
	free(device);
}

void bluetooth_device_unref(BluetoothDevice *device)
{
	kref_put(&device->ref, bluetooth_device_finalize);
}
