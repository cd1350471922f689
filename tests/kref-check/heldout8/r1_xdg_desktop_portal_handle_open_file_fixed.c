/* SPDX-License-Identifier: MIT */
/*
 * Source: xdg-desktop-portal (flatpak/xdg-desktop-portal), fix commit
 * 42c5b1e48a36ccb66e33c4d265c43dabaffee071 ("Keep a ref on the request
 * during async calls"), src/file-chooser.c (also open-uri.c, print.c,
 * screenshot.c).  handle_open_file() passed the Request, borrowed from the
 * method invocation, as the user data of the asynchronous OpenFile call to
 * the backend; a Close from the client can drop the last reference before
 * open_file_done() runs.  The fix passes a reference the callback puts.
 * Reconstructed on struct kref (GObject's count in the original).
 */
#include <kref.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

typedef struct _GDBusMethodInvocation GDBusMethodInvocation;
typedef struct _GAsyncResult GAsyncResult;
typedef struct _XdpImplFileChooser XdpImplFileChooser;
typedef struct _XdpFileChooser XdpFileChooser;
typedef struct _GVariant GVariant;

typedef void (*GAsyncReadyCallback)(void *source, GAsyncResult *result,
				    void *user_data);

typedef struct {
	struct kref ref;
	pthread_mutex_t mutex;
	char *id;
	char *app_id;
	char *sender;
	bool exported;
} Request;

/* The Request attached to the invocation as its data; no reference taken. */
extern Request *request_from_invocation(GDBusMethodInvocation *invocation);

/* Exports the request on the bus; takes no reference of its own. */
extern void request_export_object(Request *request);
extern void request_unexport_object(Request *request);

/* Starts the D-Bus call to the backend and returns; callback(user_data)
 * runs later from the main loop. */
extern void xdp_impl_file_chooser_call_open_file(XdpImplFileChooser *proxy,
						 const char *handle,
						 const char *app_id,
						 const char *parent_window,
						 const char *title,
						 GVariant *options,
						 void *cancellable,
						 GAsyncReadyCallback callback,
						 void *user_data);
extern bool xdp_impl_file_chooser_call_open_file_finish(XdpImplFileChooser *proxy,
							unsigned int *response,
							GVariant **results,
							GAsyncResult *res);
extern void xdp_file_chooser_complete_open_file(XdpFileChooser *object,
						GDBusMethodInvocation *invocation,
						const char *handle);
extern void xdp_request_emit_response(Request *request, unsigned int response,
				      GVariant *results);
extern char *register_document(const char *uri, const char *app_id);

static XdpImplFileChooser *impl;

static void request_finalize(struct kref *ref)
{
	Request *request = container_of(ref, Request, ref);

	pthread_mutex_destroy(&request->mutex);
	free(request->app_id);
	free(request->sender);
	free(request->id);
	free(request);
}

static Request *request_ref(Request *request)
{
	kref_get(&request->ref);
	return request;
}

static void request_unref(Request *request)
{
	kref_put(&request->ref, request_finalize);
}

void request_export(Request *request)
{
	request_export_object(request);
	request->exported = true;
	request_ref(request);
}

void request_unexport(Request *request)
{
	request->exported = false;
	request_unexport_object(request);
	request_unref(request);
}

/* Close() from the client: unexports the request, dropping the export's
 * reference. */
bool handle_close(Request *request, GDBusMethodInvocation *invocation)
{
	pthread_mutex_lock(&request->mutex);
	if (request->exported)
		request_unexport(request);
	pthread_mutex_unlock(&request->mutex);
	return true;
}

static void open_file_done(void *source, GAsyncResult *result, void *data)
{
	Request *request = data;
	unsigned int response;
	GVariant *options = NULL;
	char *ruri = NULL;

	if (!xdp_impl_file_chooser_call_open_file_finish(source, &response,
							 &options, result))
		response = 2;

	if (response == 0)
		ruri = register_document("file:///", request->app_id);

	pthread_mutex_lock(&request->mutex);
	if (request->exported) {
		xdp_request_emit_response(request, response, options);
		request_unexport(request);
	}
	pthread_mutex_unlock(&request->mutex);
	free(ruri);
	request_unref(request);
}

bool handle_open_file(XdpFileChooser *object, GDBusMethodInvocation *invocation,
		      const char *arg_parent_window, const char *arg_title,
		      GVariant *arg_options)
{
	Request *request = request_from_invocation(invocation);
	const char *app_id = request->app_id;

	pthread_mutex_lock(&request->mutex);

	request_export(request);

	xdp_impl_file_chooser_call_open_file(impl, request->id, app_id,
					     arg_parent_window, arg_title,
					     arg_options, NULL, open_file_done,
					     request_ref(request));

	xdp_file_chooser_complete_open_file(object, invocation, request->id);

	pthread_mutex_unlock(&request->mutex);
	return true;
}
