/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: hughsie/libgusb commit
 * 81b9ea72f9982e7c25b09434492140d452acf215 "device: Do not double-reference
 * USB devices", gusb/gusb-device.c, g_usb_device_constructed() and
 * g_usb_device_initable_init().  The GUsbDevice takes a reference on its
 * libusb_device both when it is constructed and when it is initialised,
 * but dispose drops only one: the extra get is never put and the libusb
 * device leaks.  libusb's device refcount written here with struct kref.
 */
#include <stdlib.h>
#include <kref.h>

typedef struct { struct kref refcnt; int bus_number, device_address; } libusb_device;
struct libusb_device_descriptor { unsigned short idVendor, idProduct; };
typedef struct { libusb_device *device; struct libusb_device_descriptor desc; char *platform_id; } GUsbDevicePrivate;
typedef struct { GUsbDevicePrivate *priv; } GUsbDevice;

int libusb_get_device_descriptor(libusb_device *dev, struct libusb_device_descriptor *desc);
char *g_usb_device_build_platform_id(libusb_device *dev);

static void libusb_device_destroy(struct kref *kref)
{
	free(container_of(kref, libusb_device, refcnt));
}

static libusb_device *libusb_ref_device(libusb_device *dev)
{
	kref_get(&dev->refcnt);
	return dev;
}

static void libusb_unref_device(libusb_device *dev)
{
	if (dev)
		kref_put(&dev->refcnt, libusb_device_destroy);
}

void g_usb_device_dispose(GUsbDevice *device)
{
	GUsbDevicePrivate *priv = device->priv;

	libusb_unref_device(priv->device);	/* g_clear_pointer */
	priv->device = NULL;
}

void g_usb_device_constructed(GUsbDevice *device)
{
	GUsbDevicePrivate *priv = device->priv;

	if (!priv->device)
		abort();	/* g_error("constructed without a libusb_device") */

	libusb_ref_device(priv->device);	/* expect: rule 2 */

	libusb_get_device_descriptor(priv->device, &priv->desc);
}

int g_usb_device_initable_init(GUsbDevice *device)
{
	GUsbDevicePrivate *priv = device->priv;

	if (!priv->device)
		return 0;

	libusb_ref_device(priv->device);

	if (libusb_get_device_descriptor(priv->device, &priv->desc) != 0)
		return 0;

	/* this does not change on plug->unplug->plug */
	priv->platform_id = g_usb_device_build_platform_id(priv->device);
	return 1;
}
