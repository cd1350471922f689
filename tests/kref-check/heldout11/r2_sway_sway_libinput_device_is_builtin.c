/* SPDX-License-Identifier: MIT */
/*
 * Project: swaywm/sway
 * Path: sway/input/libinput.c
 * Fix commit: 47f90761a88bb4012476a4723267d27b7b363402
 * Bug: libinput_device_get_udev_device() returns a referenced udev device,
 * but sway_libinput_device_is_builtin() returns from every path without
 * dropping that reference, leaking a udev device per call.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <kref.h>

struct udev_device {
	struct kref ref;
	const char *id_path;
};

struct libinput_device;
struct wlr_input_device;

struct sway_input_device {
	struct wlr_input_device *wlr_device;
};

/* tells whether the wlroots device is backed by libinput */
extern bool wlr_input_device_is_libinput(struct wlr_input_device *dev);
/* returns a borrowed pointer to the libinput device behind the wlroots device */
extern struct libinput_device *wlr_libinput_get_device_handle(struct wlr_input_device *dev);
/* returns a new reference on the udev device, or NULL */
extern struct udev_device *libinput_device_get_udev_device(struct libinput_device *device);

static void udev_device_release(struct kref *ref)
{
	free(container_of(ref, struct udev_device, ref));
}

void udev_device_unref(struct udev_device *udev_device)
{
	kref_put(&udev_device->ref, udev_device_release);
}

/* returns the property's value, owned by the device */
static const char *udev_device_get_property_value(struct udev_device *udev_device,
						  const char *key)
{
	if (strcmp(key, "ID_PATH") == 0)
		return udev_device->id_path;
	return NULL;
}

static bool has_prefix(const char *str, const char *prefix)
{
	return strncmp(str, prefix, strlen(prefix)) == 0;
}

bool sway_libinput_device_is_builtin(struct sway_input_device *sway_device)
{
	if (!wlr_input_device_is_libinput(sway_device->wlr_device))
		return false;

	struct libinput_device *device =
		wlr_libinput_get_device_handle(sway_device->wlr_device);
	struct udev_device *udev_device =
		libinput_device_get_udev_device(device);
	if (!udev_device)
		return false;

	const char *id_path = udev_device_get_property_value(udev_device, "ID_PATH");
	if (!id_path)
		return false; /* expect: rule 2 */

	if (has_prefix(id_path, "platform-"))
		return true;

	return has_prefix(id_path, "pci-") && strstr(id_path, "-platform-");
}
