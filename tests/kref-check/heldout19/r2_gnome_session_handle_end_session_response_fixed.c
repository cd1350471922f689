/* SPDX-License-Identifier: MIT */
/*
 * Project: GNOME/gnome-session
 * Path:    gnome-session/gsm-dbus-client.c
 * Fix:     3b216d8bb303eedc01c0a8a317b616a4e6e9e816
 * Bug: handle_end_session_response() completes the D-Bus call, which drops
 * the reference on the method invocation, but returns no "handled" value, so
 * the generated glue also answers with an error and drops it a second time.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <kref.h>

typedef int gboolean;
#define TRUE 1
#define FALSE 0

/* The in-flight D-Bus call; the reply functions each consume one reference. */
typedef struct {
	struct kref ref;
	void *message;
} GDBusMethodInvocation;

typedef struct GsmExportedClientPrivate GsmExportedClientPrivate;

typedef gboolean (*HandleEndSessionResponseFunc)(GsmExportedClientPrivate *skeleton,
						 GDBusMethodInvocation *invocation,
						 gboolean is_ok,
						 const char *reason,
						 void *user_data);

struct GsmExportedClientPrivate {
	HandleEndSessionResponseFunc handle_end_session_response;
	void *user_data;
};

typedef struct GsmDBusClient GsmDBusClient;

/* Sends a reply or error message on the bus for the call. */
extern void send_reply(void *message, bool is_error);
/* Tells the manager how the client answered the end-session query. */
extern void gsm_client_end_session_response(GsmDBusClient *client, gboolean is_ok,
					    gboolean do_last, gboolean cancel,
					    const char *reason);

static void method_invocation_release(struct kref *ref)
{
	GDBusMethodInvocation *invocation =
		container_of(ref, GDBusMethodInvocation, ref);

	free(invocation);
}

/* Both reply functions take over the caller's reference. */
void g_dbus_method_invocation_return_value(GDBusMethodInvocation *invocation)
{
	send_reply(invocation->message, false);
	kref_put(&invocation->ref, method_invocation_release);
}

void g_dbus_method_invocation_return_error(GDBusMethodInvocation *invocation)
{
	send_reply(invocation->message, true);
	kref_put(&invocation->ref, method_invocation_release);
}

/* gdbus-codegen output: reply with success. */
void gsm_exported_client_private_complete_end_session_response(GsmExportedClientPrivate *skeleton,
								GDBusMethodInvocation *invocation)
{
	(void)skeleton;
	g_dbus_method_invocation_return_value(invocation);
}

/* gdbus-codegen output: dispatch the incoming call to the handler; a call
 * that no handler acknowledged is answered with an error. */
void gsm_exported_client_private_dispatch(GsmExportedClientPrivate *skeleton,
					  GDBusMethodInvocation *invocation,
					  gboolean is_ok, const char *reason)
{
	gboolean handled;

	handled = skeleton->handle_end_session_response(skeleton, invocation, is_ok,
						       reason, skeleton->user_data);
	if (!handled)
		g_dbus_method_invocation_return_error(invocation);
}

static gboolean
handle_end_session_response(GsmExportedClientPrivate *skeleton,
			    GDBusMethodInvocation *invocation,
			    gboolean is_ok,
			    const char *reason,
			    GsmDBusClient *client)
{
	gsm_client_end_session_response(client, is_ok, FALSE, FALSE, reason);

	gsm_exported_client_private_complete_end_session_response(skeleton, invocation);
	return TRUE;
}

void setup_connection(GsmDBusClient *client, GsmExportedClientPrivate *skeleton)
{
	/* g_signal_connect (..., G_CALLBACK (handle_end_session_response), client) */
	skeleton->handle_end_session_response =
		(HandleEndSessionResponseFunc)handle_end_session_response;
	skeleton->user_data = client;
}
