/* SPDX-License-Identifier: MIT */
/*
 * Project: fwupd/fwupd
 * Path:    plugins/thunderbolt/fu-thunderbolt-controller.c
 * Fix:     680ab78fcc059eae6dcc2b384a2a990aa3d5c693
 *          ("thunderbolt: Fix the controller rushing to finalize before
 *          onlining")
 * Bug: fu_thunderbolt_controller_setup_usb4() hands the controller to a
 * 5-second main-loop timeout with no reference; the controller can be
 * finalized before the timer fires, and the callback that puts the ports
 * back online is lost (or runs on a freed controller).
 *
 * The controller's GObject count is a struct kref.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <kref.h>

#define G_PRIORITY_DEFAULT	0
#define G_SOURCE_REMOVE		false

typedef bool (*GSourceFunc)(void *user_data);
typedef void (*GDestroyNotify)(void *data);

typedef struct {
	struct kref ref;
	unsigned int host_online_timer_id;
} FuThunderboltController;

/* calls func(data) on the main loop after interval seconds; returns the id */
extern unsigned int g_timeout_add_seconds(unsigned int interval, GSourceFunc func,
					  void *data);
/* the same, and calls notify(data) once the source is gone */
extern unsigned int g_timeout_add_seconds_full(int priority, unsigned int interval,
					       GSourceFunc func, void *data,
					       GDestroyNotify notify);
/* removes the source (and calls its notify, if any) */
extern bool g_source_remove(unsigned int tag);
/* sysfs writes on the controller's udev device */
extern bool fu_thunderbolt_udev_set_port_offline(FuThunderboltController *self);
extern bool fu_thunderbolt_udev_set_port_online(FuThunderboltController *self);
extern bool fu_thunderbolt_udev_rescan_port(FuThunderboltController *self);

static void fu_thunderbolt_controller_finalize(struct kref *ref)
{
	FuThunderboltController *self = container_of(ref, FuThunderboltController, ref);

	if (self->host_online_timer_id != 0)
		g_source_remove(self->host_online_timer_id);
	free(self);
}

/* the owner's put (and the timeout's, once it holds one) */
void fu_thunderbolt_controller_unref(void *data)
{
	FuThunderboltController *self = data;

	kref_put(&self->ref, fu_thunderbolt_controller_finalize);
}

static bool fu_thunderbolt_controller_set_port_online_cb(void *user_data)
{
	FuThunderboltController *self = user_data;

	fu_thunderbolt_udev_set_port_online(self);

	/* no longer valid */
	self->host_online_timer_id = 0;
	return G_SOURCE_REMOVE;
}

bool fu_thunderbolt_controller_setup_usb4(FuThunderboltController *self)
{
	if (!fu_thunderbolt_udev_set_port_offline(self))
		return false;
	if (!fu_thunderbolt_udev_rescan_port(self))
		return false;
	if (self->host_online_timer_id > 0)
		g_source_remove(self->host_online_timer_id);
	kref_get(&self->ref);
	self->host_online_timer_id =
		g_timeout_add_seconds_full(G_PRIORITY_DEFAULT,
					   5, /* seconds */
					   fu_thunderbolt_controller_set_port_online_cb,
					   self,
					   fu_thunderbolt_controller_unref);
	return true;
}
