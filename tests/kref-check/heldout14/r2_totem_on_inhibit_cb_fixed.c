/* SPDX-License-Identifier: MIT */
/*
 * Project: GNOME/totem
 * Path:    lib/totem-scrsaver.c
 * Fix:     ea224952e648bfa80025798fc597c182524e74b0
 * Bug:     when the Inhibit call fails with UnknownMethod, on_inhibit_cb()
 *          retries with the old InhibitActivation method, handing the
 *          TotemScrsaver reference to the new call, and then unrefs the
 *          object anyway, dropping a reference it no longer owns.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <kref.h>

/* GObject's reference count, here a kref */
typedef struct {
	struct kref ref;
	bool have_screensaver_dbus;
	bool old_dbus_api;
	char *reason;
	unsigned int cookie;
	void *gs_proxy;
} TotemScrsaver;

typedef struct GAsyncResult GAsyncResult;
typedef void (*GAsyncReadyCallback)(void *source_object, GAsyncResult *res,
				    void *user_data);

/* starts an asynchronous D-Bus call; callback gets user_data, and with it
 * whatever reference the caller passed */
extern void g_dbus_proxy_call(void *proxy, const char *method, const char *arg,
			      GAsyncReadyCallback callback, void *user_data);
/* finishes the call; false on error with *unknown_method set when the
 * screensaver does not know the method; *cookie filled on success */
extern bool g_dbus_proxy_call_finish(void *proxy, GAsyncResult *res,
				     bool *unknown_method, unsigned int *cookie);
/* logs a warning */
extern void g_warning(const char *msg);

static void totem_scrsaver_finalize(struct kref *ref)
{
	TotemScrsaver *scr = container_of(ref, TotemScrsaver, ref);

	free(scr->reason);
	free(scr);
}

/* g_object_ref()/g_object_unref() for the screensaver object */
TotemScrsaver *g_object_ref(TotemScrsaver *scr)
{
	kref_get(&scr->ref);
	return scr;
}

void g_object_unref(TotemScrsaver *scr)
{
	kref_put(&scr->ref, totem_scrsaver_finalize);
}

void on_inhibit_cb(void *source_object, GAsyncResult *res, void *user_data)
{
	void *proxy = source_object;
	TotemScrsaver *scr = user_data;
	bool unknown_method = false;
	unsigned int cookie = 0;

	if (!g_dbus_proxy_call_finish(proxy, res, &unknown_method, &cookie)) {
		if (!scr->old_dbus_api && unknown_method) {
			/* try the old API; the reference goes with the call */
			scr->old_dbus_api = true;
			g_dbus_proxy_call(proxy, "InhibitActivation", scr->reason,
					  on_inhibit_cb, scr);
		} else {
			g_warning("Problem inhibiting the screensaver");
			g_object_unref(scr);
		}

		return;
	}

	/* save the cookie */
	scr->cookie = cookie;

	g_object_unref(scr);
}

void screensaver_inhibit_dbus(TotemScrsaver *scr)
{
	if (!scr->have_screensaver_dbus)
		return;

	scr->old_dbus_api = false;
	/* the callback owns this reference */
	g_object_ref(scr);
	g_dbus_proxy_call(scr->gs_proxy, "Inhibit", scr->reason,
			  on_inhibit_cb, scr);
}
