/* SPDX-License-Identifier: MIT */
/*
 * Project: linux-mobile-broadband/libmbim
 * Path: src/libmbim-glib/mbim-proxy.c
 * Fix: a58bb372fd0d145d6d608b0b82b31c3b6f11a0a1
 * Bug: proxy_config_internal_device_open_ready() keeps the MBIMEx version
 * indication, a borrowed pointer from the device's object data, in an
 * auto-put variable, so it puts a reference it never owned.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <kref.h>

typedef struct _MbimMessage {
	struct kref ref;
	unsigned char *data;
} MbimMessage;

typedef struct _GError GError;
typedef struct _MbimDevice MbimDevice;
typedef struct _MbimProxy MbimProxy;
typedef struct _GAsyncResult GAsyncResult;

typedef struct {
	unsigned long id;
	MbimDevice *device;
	bool config_ongoing;
} Client;

typedef struct {
	MbimProxy *self;
	Client *client;
	MbimMessage *message;		/* holds a reference */
	MbimMessage *response;		/* holds a reference */
} Request;

#define MBIM_DEVICE_PROXY_CONTROL_VERSION "mbim-device-proxy-control-version"

static void mbim_message_release(struct kref *ref)
{
	MbimMessage *msg = container_of(ref, MbimMessage, ref);

	free(msg->data);
	free(msg);
}

void mbim_message_unref(MbimMessage *msg)
{
	kref_put(&msg->ref, mbim_message_release);
}

/* g_autoptr(MbimMessage): puts the message when the variable goes out of scope. */
KREF_DEFINE_PUT(mbim_message_autoptr, MbimMessage, ref, mbim_message_release);

/* Returns the object data stored under key; the device keeps the reference, the pointer is borrowed. */
extern void *mbim_device_get_data(MbimDevice *device, const char *key);
extern bool internal_device_open_finish(MbimProxy *self, GAsyncResult *res, GError **error);
/* Sends message to the client; borrows it. */
extern bool client_send_message(Client *client, MbimMessage *message, GError **error);
extern void untrack_client(MbimProxy *self, Client *client);
/* Returns a new message (reference for the caller). */
extern MbimMessage *build_proxy_control_command_done(MbimMessage *message, unsigned int status);
/* Sends request->response, puts request's messages and frees request. */
extern void request_complete_and_free(Request *request);
extern void g_error_free(GError *error);

void proxy_config_internal_device_open_ready(MbimProxy *self,
					     GAsyncResult *res,
					     Request *request)
{
	GError *error = NULL;
	MbimMessage *indication __free(mbim_message_autoptr) = NULL; /* expect: rule 2 */

	if (!internal_device_open_finish(self, res, &error)) {
		g_error_free(error);
		/* Untrack client and complete without response */
		untrack_client(request->self, request->client);
		request_complete_and_free(request);
		return;
	}

	/* notify the client about the MBIMEx version */
	indication = mbim_device_get_data(request->client->device,
					  MBIM_DEVICE_PROXY_CONTROL_VERSION);
	if (indication) {
		if (!client_send_message(request->client, indication, &error))
			g_error_free(error);
	}

	if (request->client->config_ongoing == true)
		request->client->config_ongoing = false;
	request->response = build_proxy_control_command_done(request->message, 0);
	request_complete_and_free(request);
}
