/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: NetworkManager/NetworkManager
 * commit 6bac53094d180a675f7d1f3eedb29ed42e7083cf "device: fix ref leak in
 * controller_release_port when detach completes synchronously",
 * src/core/devices/nm-device.c, nm_device_controller_release_port().
 * g_object_ref(port) is passed to the class's detach_port() as the user
 * data of detach_port_cb(), which drops it.  detach_port() returns
 * NM_TERNARY_DEFAULT when it will call back later; when it finishes
 * synchronously (TRUE or FALSE) the callback is never called and the
 * reference leaks.  The fix unrefs port in that case.  GObject's ref_count
 * written with a kref.
 */
#include <stdlib.h>
#include <stdbool.h>
#include <kref.h>

typedef enum { NM_TERNARY_DEFAULT = -1, NM_TERNARY_FALSE = 0, NM_TERNARY_TRUE = 1 } NMTernary;
typedef struct _GError GError;
typedef struct _GCancellable GCancellable;
typedef struct _NMDevice NMDevice;

typedef void (*NMDeviceAttachPortCallback)(NMDevice *self, GError *error, void *user_data);

typedef struct {
	NMTernary (*detach_port)(NMDevice *self, NMDevice *port, bool configure,
				 GCancellable *cancellable,
				 NMDeviceAttachPortCallback callback, void *user_data);
} NMDeviceClass;

struct _NMDevice {
	struct kref ref_count;
	const NMDeviceClass *klass;
	int state;
	unsigned int port_detach_count;
	int port_detach_reason;
};

#define NM_DEVICE_GET_CLASS(self) ((self)->klass)
#define NM_DEVICE_STATE_DEACTIVATING 110

extern void deactivate_ready(NMDevice *port, int reason);
/* Raises the release notifications and clears the port's attached state. */
extern void nm_device_port_notify_release(NMDevice *port, int reason);

static void nm_device_finalize(struct kref *ref)
{
	free(container_of(ref, NMDevice, ref_count));
}

static NMDevice *g_object_ref(NMDevice *obj)
{
	kref_get(&obj->ref_count);
	return obj;
}

static void g_object_unref(NMDevice *obj)
{
	kref_put(&obj->ref_count, nm_device_finalize);
}

static void detach_port_cb(NMDevice *self, GError *error, void *user_data)
{
	NMDevice *port = user_data;

	if (--port->port_detach_count == 0) {
		if (port->state == NM_DEVICE_STATE_DEACTIVATING)
			deactivate_ready(port, port->port_detach_reason);
	}
	g_object_unref(port);
}

void nm_device_controller_release_port(NMDevice *self, NMDevice *port, bool configure,
				       int reason)
{
	NMTernary ret;

	/* first, let subclasses handle the release ... */
	ret = NM_DEVICE_GET_CLASS(self)->detach_port(self, port, configure, NULL,
						     detach_port_cb, g_object_ref(port));
	if (ret == NM_TERNARY_DEFAULT) { /* expect: rule 2 */
		port->port_detach_count++;
		port->port_detach_reason = reason;
	}

	/* raise notifications about the release, including clearing is_attached. */
	nm_device_port_notify_release(port, reason);
}
