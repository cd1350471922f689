/* SPDX-License-Identifier: MIT */
/*
 * Project: GNOME/mutter
 * Path:    src/backends/meta-backend.c
 * Fix:     8711d8d5914df8e19a907105d9fa7139221f21b4
 * Bug:     meta_backend_update_last_device() keeps the input device in
 *          priv->current_device and schedules an idle that reads it later,
 *          without taking a reference, so a removed virtual device is read
 *          after it was freed.
 */
#include <stdlib.h>
#include <kref.h>

enum {
	CLUTTER_INPUT_MODE_LOGICAL,
	CLUTTER_INPUT_MODE_PHYSICAL,
};

enum {
	CLUTTER_POINTER_DEVICE,
	CLUTTER_KEYBOARD_DEVICE,
	CLUTTER_TOUCHSCREEN_DEVICE,
};

struct ClutterInputDevice {
	struct kref ref;
	int device_type;
	int device_mode;
};

struct MetaCursorTracker;

struct MetaBackendPrivate {
	struct MetaCursorTracker *cursor_tracker;
	unsigned int device_update_idle_id;
	struct ClutterInputDevice *current_device;
};

struct MetaBackend {
	struct MetaBackendPrivate priv;
};

/* Runs func(data) once from the main loop later; returns the source id. */
extern unsigned int g_idle_add(int (*func)(void *data), void *data);
/* Removes a pending main loop source. */
extern void g_source_remove(unsigned int id);
/* Shows or hides the pointer. */
extern void meta_cursor_tracker_set_pointer_visible(struct MetaCursorTracker *tracker,
						    int visible);
/* Emits "last-device-changed"; the handlers only borrow the device. */
extern void meta_backend_emit_last_device_changed(struct MetaBackend *backend,
						  struct ClutterInputDevice *device);
/* Drops the per-device monitor of the backend. */
extern void destroy_device_monitor(struct MetaBackend *backend,
				   struct ClutterInputDevice *device);
/* Whether any pointing device is left on the seat. */
extern int check_has_pointing_device(void);

void clutter_input_device_release(struct kref *ref)
{
	free(container_of(ref, struct ClutterInputDevice, ref));
}

static int update_last_device(void *data)
{
	struct MetaBackend *backend = data;
	struct MetaBackendPrivate *priv = &backend->priv;
	int device_type;

	priv->device_update_idle_id = 0;
	device_type = priv->current_device->device_type;

	meta_backend_emit_last_device_changed(backend, priv->current_device);

	switch (device_type) {
	case CLUTTER_KEYBOARD_DEVICE:
		break;
	case CLUTTER_TOUCHSCREEN_DEVICE:
		meta_cursor_tracker_set_pointer_visible(priv->cursor_tracker, 0);
		break;
	default:
		meta_cursor_tracker_set_pointer_visible(priv->cursor_tracker, 1);
		break;
	}

	return 0;
}

void meta_backend_update_last_device(struct MetaBackend *backend,
				     struct ClutterInputDevice *device)
{
	struct MetaBackendPrivate *priv = &backend->priv;

	if (priv->current_device == device)
		return;

	if (!device || device->device_mode == CLUTTER_INPUT_MODE_LOGICAL)
		return;

	priv->current_device = device; /* expect: rule 1 */

	if (priv->device_update_idle_id == 0)
		priv->device_update_idle_id = g_idle_add(update_last_device, backend);
}

/* "device-removed" handler of the seat; the seat still holds the device. */
void on_device_removed(struct ClutterInputDevice *device, void *user_data)
{
	struct MetaBackend *backend = user_data;
	struct MetaBackendPrivate *priv = &backend->priv;

	destroy_device_monitor(backend, device);

	if (priv->current_device == device) {
		priv->current_device = NULL;
		if (priv->device_update_idle_id) {
			g_source_remove(priv->device_update_idle_id);
			priv->device_update_idle_id = 0;
		}

		if (device->device_type != CLUTTER_KEYBOARD_DEVICE &&
		    device->device_type != CLUTTER_TOUCHSCREEN_DEVICE)
			meta_cursor_tracker_set_pointer_visible(priv->cursor_tracker,
								check_has_pointing_device());
	}
}

void meta_backend_finalize(struct MetaBackend *backend)
{
	struct MetaBackendPrivate *priv = &backend->priv;

	if (priv->device_update_idle_id) {
		g_source_remove(priv->device_update_idle_id);
		priv->device_update_idle_id = 0;
	}
	free(backend);
}
