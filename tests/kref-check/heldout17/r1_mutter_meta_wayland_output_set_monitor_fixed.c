/* SPDX-License-Identifier: MIT */
/*
 * Project: GNOME/mutter
 * Path:    src/wayland/meta-wayland-outputs.c
 * Fix:     90a85feb71dac1b35686189b8c5b271e372383df
 * Bug:     meta_wayland_output_set_monitor() stores the monitor's current and
 *          preferred modes in the wayland output without taking references,
 *          though the old modes are read again (to compare against) after the
 *          monitor configuration that owned them has been replaced.
 */
#include <kref.h>
#include <stdlib.h>

typedef struct _MetaMonitorMode {
	struct kref ref;
	int width;
	int height;
	float refresh_rate;
} MetaMonitorMode;

typedef struct _MetaMonitor MetaMonitor;

typedef struct _MetaWaylandOutput {
	struct kref ref;
	MetaMonitor *monitor;
	MetaMonitorMode *mode;
	MetaMonitorMode *preferred_mode;
	int scale;
} MetaWaylandOutput;

/* Return borrowed pointers: the modes belong to the monitor and die with
 * the monitor configuration. */
extern MetaMonitorMode *meta_monitor_get_current_mode(MetaMonitor *monitor);
extern MetaMonitorMode *meta_monitor_get_preferred_mode(MetaMonitor *monitor);
/* Returns the scale of the monitor's logical monitor. */
extern int meta_monitor_get_scale(MetaMonitor *monitor);
/* Sends a wl_output.mode event to every bound client. */
extern void wayland_output_send_mode(MetaWaylandOutput *wayland_output,
				     int width, int height, float refresh_rate);
/* Destroys the wl_global of the output. */
extern void wayland_output_destroy_global(MetaWaylandOutput *wayland_output);

static void meta_monitor_mode_release(struct kref *ref)
{
	free(container_of(ref, MetaMonitorMode, ref));
}

void meta_monitor_mode_unref(MetaMonitorMode *mode)
{
	if (mode)
		kref_put(&mode->ref, meta_monitor_mode_release);
}

/* g_set_object(): reference the new mode, then drop the old one */
static void set_mode(MetaMonitorMode **slot, MetaMonitorMode *mode)
{
	MetaMonitorMode *old = *slot;

	if (mode)
		kref_get(&mode->ref);
	*slot = mode;
	meta_monitor_mode_unref(old);
}

static void meta_wayland_output_set_monitor(MetaWaylandOutput *wayland_output,
					    MetaMonitor *monitor)
{
	wayland_output->monitor = monitor;
	set_mode(&wayland_output->mode, meta_monitor_get_current_mode(monitor));
	set_mode(&wayland_output->preferred_mode,
		 meta_monitor_get_preferred_mode(monitor));
	wayland_output->scale = meta_monitor_get_scale(monitor);
}

static void send_output_events(MetaWaylandOutput *wayland_output,
			       MetaMonitor *monitor)
{
	MetaMonitorMode *mode = meta_monitor_get_current_mode(monitor);
	MetaMonitorMode *old_mode = wayland_output->mode;

	/* old_mode belonged to the previous monitor configuration */
	if (!old_mode ||
	    old_mode->width != mode->width ||
	    old_mode->height != mode->height ||
	    old_mode->refresh_rate != mode->refresh_rate)
		wayland_output_send_mode(wayland_output, mode->width,
					 mode->height, mode->refresh_rate);
}

void wayland_output_update_for_output(MetaWaylandOutput *wayland_output,
				      MetaMonitor *monitor)
{
	send_output_events(wayland_output, monitor);
	meta_wayland_output_set_monitor(wayland_output, monitor);
}

static void meta_wayland_output_release(struct kref *ref)
{
	MetaWaylandOutput *wayland_output =
		container_of(ref, MetaWaylandOutput, ref);

	set_mode(&wayland_output->mode, NULL);
	set_mode(&wayland_output->preferred_mode, NULL);
	wayland_output_destroy_global(wayland_output);
	free(wayland_output);
}

void meta_wayland_output_unref(MetaWaylandOutput *wayland_output)
{
	kref_put(&wayland_output->ref, meta_wayland_output_release);
}

