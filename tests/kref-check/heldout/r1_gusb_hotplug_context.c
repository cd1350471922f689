/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: hughsie/libgusb commit
 * 24934619a2ad3467b98142dfab2039985afc970d "Fix hotplug after threaded
 * device removal", gusb/gusb-context.c, g_usb_context_hotplug_cb().  The
 * libusb hotplug callback stores the GUsbContext in an idle helper with no
 * reference and hands the helper to g_idle_add(); the helper's free
 * function unrefs the context, dropping a reference it never took.
 * GObject refcounting, written here with struct kref.
 */
#include <stdlib.h>
#include <kref.h>

typedef struct { struct kref ref; void *priv; } GUsbContext;
typedef struct { struct kref ref; int bus, address; } libusb_device;
typedef int libusb_hotplug_event;
typedef int gboolean;
typedef void *gpointer;
typedef gboolean (*GSourceFunc)(gpointer user_data);

unsigned int g_idle_add(GSourceFunc function, gpointer data);
void g_usb_context_add_device(GUsbContext *context, libusb_device *dev);
void g_usb_context_remove_device(GUsbContext *context, libusb_device *dev);
void g_object_finalize(struct kref *ref);
void libusb_device_free(struct kref *ref);

typedef struct {
	GUsbContext *context;
	libusb_device *dev;
	libusb_hotplug_event event;
} GUsbContextIdleHelper;

static libusb_device *libusb_ref_device(libusb_device *dev)
{
	kref_get(&dev->ref);
	return dev;
}

static void g_usb_context_idle_helper_free(GUsbContextIdleHelper *helper)
{
	kref_put(&helper->context->ref, g_object_finalize);	/* g_object_unref */
	kref_put(&helper->dev->ref, libusb_device_free);	/* libusb_unref_device */
	free(helper);
}

static gboolean g_usb_context_idle_hotplug_cb(gpointer user_data)
{
	GUsbContextIdleHelper *helper = user_data;

	if (helper->event == 1)	/* LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED */
		g_usb_context_add_device(helper->context, helper->dev);
	else
		g_usb_context_remove_device(helper->context, helper->dev);
	g_usb_context_idle_helper_free(helper);
	return 0;
}

int g_usb_context_hotplug_cb(void *ctx, libusb_device *dev, libusb_hotplug_event event, void *user_data)
{
	GUsbContext *context = user_data;
	GUsbContextIdleHelper *helper;

	(void)ctx;
	helper = calloc(1, sizeof(*helper));	/* g_new0 */
	if (!helper)
		return 0;
	helper->context = context;	/* expect: rule 1 */
	helper->dev = libusb_ref_device(dev);
	helper->event = event;
	g_idle_add(g_usb_context_idle_hotplug_cb, helper);
	return 0;
}
