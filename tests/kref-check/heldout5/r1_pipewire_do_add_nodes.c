/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: PipeWire/pipewire commit
 * d37b0b4cd29b8c0becdeb20a028697a58d3ceb2a "gst: deviceprovider: Fix a leak
 * and a heap-use-after-free", src/gst/gstpipewiredeviceprovider.c,
 * do_add_nodes() and destroy_node().  new_node() returns a device with one
 * (floating) reference, kept in the long-lived field nd->dev; the same
 * pointer is then passed to gst_device_provider_device_add(), which sinks
 * that one reference into the provider's own list.  When the provider
 * drops the device (gst_device_provider_device_remove()), nd->dev dangles.
 * The fix takes a reference for the provider before device_add() and
 * drops nd->dev's own in destroy_node().  GstObject counted with a kref.
 */
#include <stdlib.h>
#include <stdbool.h>
#include <kref.h>

typedef struct _GstDevice { struct kref ref; int priority; } GstDevice;
typedef struct _GstDeviceProvider GstDeviceProvider;
typedef struct _GList { void *data; struct _GList *next; } GList;

struct node_data {
	struct node_data *next;
	unsigned int id;
	GstDevice *dev;
};

typedef struct {
	GstDeviceProvider *provider;
	struct node_data *nodes;
	GList *devices;
	bool list_only;
} GstPipeWireDeviceProvider;

#define GST_DEVICE_PROVIDER(s) ((s)->provider)

/* Builds the device for a node: one new reference, or NULL. */
extern GstDevice *new_node(GstPipeWireDeviceProvider *self, struct node_data *nd);
/* Takes over one reference of device (it sinks the floating one) into the
 * provider's device list and announces it. */
extern void gst_device_provider_device_add(GstDeviceProvider *provider, GstDevice *device);
/* Unlinks device from the provider's list and drops the list's reference. */
extern void gst_device_provider_device_remove(GstDeviceProvider *provider, GstDevice *device);
/* Inserts data into a sorted list; the list keeps the pointer. */
extern GList *g_list_insert_sorted_device(GList *list, GstDevice *device);

static void gst_device_finalize(struct kref *ref)
{
	free(container_of(ref, GstDevice, ref));
}

static GstDevice *gst_object_ref(GstDevice *dev)
{
	kref_get(&dev->ref);
	return dev;
}

void do_add_nodes(GstPipeWireDeviceProvider *self)
{
	struct node_data *nd;

	for (nd = self->nodes; nd; nd = nd->next) {
		GstDevice *device;

		if (nd->dev != NULL)
			continue;
		nd->dev = new_node(self, nd);
		if (!nd->dev)
			continue;
		device = nd->dev;

		if (self->list_only) {
			self->devices = g_list_insert_sorted_device(self->devices,
								    gst_object_ref(device));
		} else {
			gst_device_provider_device_add(GST_DEVICE_PROVIDER(self), device); /* expect: rule 1 */
		}
	}
}

void destroy_node(GstPipeWireDeviceProvider *self, struct node_data *nd)
{
	if (nd->dev != NULL) {
		gst_device_provider_device_remove(GST_DEVICE_PROVIDER(self), nd->dev);
	}
}

void gst_object_unref(GstDevice *dev)
{
	kref_put(&dev->ref, gst_device_finalize);
}
