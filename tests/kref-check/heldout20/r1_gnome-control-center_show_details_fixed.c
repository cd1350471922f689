/* SPDX-License-Identifier: MIT */
/*
 * Project: GNOME/gnome-control-center
 * Path: panels/network/net-device-ethernet.c
 * Fix commit: f526c4974671d4206f78f4473e3062ba520e8264
 * Bug: show_details() gives the ethernet device to the connection editor's
 * "done" handler without a reference of its own, so if the panel goes away
 * while the dialog is open, closing the dialog refreshes a freed device.
 */
#include <stdlib.h>
#include <kref.h>

struct NetConnectionEditor;

typedef void (*NetEditorDoneFunc)(struct NetConnectionEditor *editor,
				  int success, void *user_data);

struct NetDeviceEthernet {
	struct kref ref;
	int updating_device;
	char *title;
};

/* builds the editor dialog; the caller owns the one reference */
extern struct NetConnectionEditor *net_connection_editor_new(void *window,
							     struct NetDeviceEthernet *device);
/* changes the dialog title */
extern void net_connection_editor_set_title(struct NetConnectionEditor *editor,
					    const char *title);
/* shows the dialog and returns; "done" is emitted later from the main loop */
extern void net_connection_editor_run(struct NetConnectionEditor *editor);
/* drops one reference on the editor */
extern void net_connection_editor_unref(struct NetConnectionEditor *editor);
/* keeps handler and user_data in the editor until "done" is emitted; takes no reference */
extern unsigned long g_signal_connect(struct NetConnectionEditor *editor,
				      const char *signal,
				      NetEditorDoneFunc handler,
				      void *user_data);
/* returns the toplevel window of the clicked button (borrowed) */
extern void *gtk_widget_get_toplevel(void *button);
/* re-reads the NMDevice state into the panel's widgets */
extern void device_ethernet_refresh_ui(struct NetDeviceEthernet *device);

static void net_device_ethernet_release(struct kref *ref)
{
	struct NetDeviceEthernet *device =
		container_of(ref, struct NetDeviceEthernet, ref);

	free(device->title);
	free(device);
}

static struct NetDeviceEthernet *net_device_ethernet_ref(struct NetDeviceEthernet *device)
{
	kref_get(&device->ref);
	return device;
}

void net_device_ethernet_unref(struct NetDeviceEthernet *device)
{
	kref_put(&device->ref, net_device_ethernet_release);
}

static void editor_done(struct NetConnectionEditor *editor, int success,
			void *user_data)
{
	struct NetDeviceEthernet *device = user_data;

	(void)success;
	net_connection_editor_unref(editor);
	device_ethernet_refresh_ui(device);
	net_device_ethernet_unref(device);
}

static void show_details(void *button, struct NetDeviceEthernet *device,
			 const char *title)
{
	struct NetConnectionEditor *editor;
	void *window;

	window = gtk_widget_get_toplevel(button);
	editor = net_connection_editor_new(window, device);
	if (title)
		net_connection_editor_set_title(editor, title);
	g_signal_connect(editor, "done", editor_done, net_device_ethernet_ref(device));
	net_connection_editor_run(editor);
}

void show_details_for_row(void *button, struct NetDeviceEthernet *device)
{
	show_details(button, device, NULL);
}

/* the panel drops its device when it is switched away or rebuilt */
void net_device_ethernet_panel_remove(struct NetDeviceEthernet *device)
{
	net_device_ethernet_unref(device);
}
