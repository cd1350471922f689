/* SPDX-License-Identifier: MIT */
/*
 * Project: flatpak/xdg-desktop-portal
 * Path:    desktop-portal/xdp-context.c
 * Fix:     11d05e5a3a5443a3cb37708b57a86f7998b86701
 * Bug:     authorize_callback() attaches the caller's XdpAppInfo to the
 *          method invocation as plain data without a reference, so when the
 *          peer disconnects the registry drops the last reference while a
 *          handler thread still reads it through the invocation.
 */
#include <kref.h>
#include <stdbool.h>
#include <stdlib.h>

typedef struct _GDBusMethodInvocation GDBusMethodInvocation;
typedef struct _XdpAppInfoRegistry XdpAppInfoRegistry;
typedef void (*GDestroyNotify)(void *data);

typedef struct _XdpAppInfo {
	struct kref ref;		/* GObject reference count */
	char *id;
	int pidns_fd;
} XdpAppInfo;

typedef struct _XdpContext {
	XdpAppInfoRegistry *app_info_registry;
} XdpContext;

/*
 * looks the sender up in the registry (one reference per D-Bus sender,
 * dropped by on_peer_disconnect()) and returns a new reference for the
 * caller, or NULL
 */
extern XdpAppInfo *
xdp_app_info_registry_ensure_for_invocation_sync(XdpAppInfoRegistry *registry,
						 GDBusMethodInvocation *invocation);
/* stores data on the invocation; nothing is done with it on finalize */
extern void g_object_set_data(GDBusMethodInvocation *object, const char *key,
			      void *data);
/* stores data on the invocation; destroy(data) runs when it is finalized */
extern void g_object_set_data_full(GDBusMethodInvocation *object,
				   const char *key, void *data,
				   GDestroyNotify destroy);
/* borrowed pointer to the data stored under key */
extern void *g_object_get_data(GDBusMethodInvocation *object, const char *key);
extern void g_dbus_method_invocation_return_access_denied(GDBusMethodInvocation *invocation);
extern bool method_needs_request(GDBusMethodInvocation *invocation);
/* exports a Request object for the call; takes its own reference on app_info */
extern bool xdp_request_init_invocation(GDBusMethodInvocation *invocation,
					XdpContext *context,
					XdpAppInfo *app_info);

static void xdp_app_info_finalize(struct kref *ref)
{
	XdpAppInfo *app_info = container_of(ref, XdpAppInfo, ref);

	free(app_info->id);
	free(app_info);
}

void xdp_app_info_unref(void *data)
{
	XdpAppInfo *app_info = data;

	kref_put(&app_info->ref, xdp_app_info_finalize);
}

static bool authorize_callback(void *interface,
			       GDBusMethodInvocation *invocation,
			       void *user_data)
{
	XdpContext *context = user_data;
	XdpAppInfo *app_info;
	bool ret = true;

	(void)interface;
	app_info = xdp_app_info_registry_ensure_for_invocation_sync(context->app_info_registry,
								    invocation);
	if (app_info == NULL) {
		g_dbus_method_invocation_return_access_denied(invocation);
		return false;
	}

	kref_get(&app_info->ref);
	g_object_set_data_full(invocation, "xdp-app-info", app_info,
			       xdp_app_info_unref);

	if (method_needs_request(invocation)) {
		if (!xdp_request_init_invocation(invocation, context, app_info)) {
			g_dbus_method_invocation_return_access_denied(invocation);
			ret = false;
		}
	}

	xdp_app_info_unref(app_info);	/* g_autoptr(XdpAppInfo) */
	return ret;
}

/* the method handler, run later on a GDBus worker thread */
XdpAppInfo *xdp_invocation_get_app_info(GDBusMethodInvocation *invocation)
{
	return g_object_get_data(invocation, "xdp-app-info");
}

bool xdp_context_authorize(XdpContext *context, GDBusMethodInvocation *invocation)
{
	return authorize_callback(NULL, invocation, context);
}
