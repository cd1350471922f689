/* SPDX-License-Identifier: MIT */
/*
 * Project: GNOME/gnome-settings-daemon
 * Path: plugins/power/gsd-power-manager.c
 * Fix: cb2a1c37bc63386b232a8169ef992b977af4e03f
 * Bug: handle_method_call_screen() attached a new reference to the power
 * manager to the D-Bus invocation before checking for a backlight, and
 * the early "no backlight" return left that reference with nobody to put
 * it (only the async step callback dropped it).
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <kref.h>

typedef struct gsd_backlight GsdBacklight;
typedef struct gdbus_method_invocation GDBusMethodInvocation;

typedef struct gsd_power_manager {
	struct kref ref;
	GsdBacklight *backlight;
	int ambient_percentage_old;
	bool ambient_norm_required;
} GsdPowerManager;

typedef void (*async_ready_cb)(GsdBacklight *backlight, int result,
			       void *user_data);

/* frees the manager once its last reference is gone */
extern void gsd_power_manager_release(struct kref *ref);
/* stores a pointer on the invocation (no destroy notify) */
extern void g_object_set_data(GDBusMethodInvocation *inv, const char *key,
			      void *data);
/* returns the pointer stored on the invocation (borrowed) */
extern void *g_object_get_data(GDBusMethodInvocation *inv, const char *key);
/* completes the invocation with an error; consumes the invocation */
extern void g_dbus_method_invocation_return_error_literal(
	GDBusMethodInvocation *inv, const char *message);
/* completes the invocation with a value; consumes the invocation */
extern void g_dbus_method_invocation_return_value(GDBusMethodInvocation *inv,
						  int brightness);
/* start an asynchronous brightness step; cb gets user_data */
extern void gsd_backlight_step_up_async(GsdBacklight *b, async_ready_cb cb,
					void *user_data);
extern void gsd_backlight_step_down_async(GsdBacklight *b, async_ready_cb cb,
					  void *user_data);
extern void gsd_backlight_cycle_up_async(GsdBacklight *b, async_ready_cb cb,
					 void *user_data);

GsdPowerManager *g_object_ref(GsdPowerManager *manager)
{
	kref_get(&manager->ref);
	return manager;
}

void g_object_unref(void *data)
{
	GsdPowerManager *manager = data;

	kref_put(&manager->ref, gsd_power_manager_release);
}

static void backlight_brightness_step_cb(GsdBacklight *backlight,
					 int brightness, void *user_data)
{
	GDBusMethodInvocation *invocation = user_data;
	GsdPowerManager *manager;

	(void)backlight;
	manager = g_object_get_data(invocation, "gsd-power-manager");

	manager->ambient_percentage_old = brightness;
	manager->ambient_norm_required = true;

	g_dbus_method_invocation_return_value(invocation, brightness);

	g_object_unref(manager);
}

void handle_method_call_screen(GsdPowerManager *manager,
			       const char *method_name,
			       GDBusMethodInvocation *invocation)
{
	g_object_set_data(invocation, "gsd-power-manager",
			  g_object_ref(manager));

	if (!manager->backlight) {
		g_dbus_method_invocation_return_error_literal(invocation,
			"No usable backlight could be found!");
		return; /* expect: rule 2 */
	}

	if (strcmp(method_name, "StepUp") == 0)
		gsd_backlight_step_up_async(manager->backlight,
					    backlight_brightness_step_cb,
					    invocation);
	else if (strcmp(method_name, "StepDown") == 0)
		gsd_backlight_step_down_async(manager->backlight,
					      backlight_brightness_step_cb,
					      invocation);
	else if (strcmp(method_name, "Cycle") == 0)
		gsd_backlight_cycle_up_async(manager->backlight,
					     backlight_brightness_step_cb,
					     invocation);
	else
		abort();
}
