/* SPDX-License-Identifier: MIT */
/*
 * Project: GNOME/libgovirt
 * Path: govirt/ovirt-proxy.c
 * Fix: 25beefa304af1fa5ce529401ccb19aac252dd185
 * Bug: the async call data keeps the caller's GCancellable without a
 * reference and disconnects from it when the call completes, by which time
 * the cancellable may already be gone.
 */
#include <stdlib.h>
#include <kref.h>

typedef struct _OvirtRestCall OvirtRestCall;
typedef struct _OvirtProxy OvirtProxy;
typedef struct _GSimpleAsyncResult GSimpleAsyncResult;
typedef struct _GError GError;
typedef void (*GDestroyNotify)(void *data);
typedef int (*OvirtProxyCallAsyncCb)(OvirtProxy *proxy, OvirtRestCall *call, void *user_data, GError **error);

typedef struct _GCancellable {
	struct kref ref;		/* GObject reference count */
	int cancelled;
} GCancellable;

typedef struct {
	OvirtProxy *proxy;		/* reference from the call's "proxy" property */
	GSimpleAsyncResult *result;	/* reference handed over by the caller */
	GCancellable *cancellable;
	unsigned long cancellable_cb_id;
	OvirtProxyCallAsyncCb call_async_cb;
	void *call_user_data;
	GDestroyNotify destroy_call_data;
} OvirtProxyCallAsyncData;

/* returns the proxy of the call with a new reference */
extern OvirtProxy *ovirt_rest_call_get_proxy(OvirtRestCall *call);
/* drops one reference on a proxy or async result */
extern void g_object_unref(void *object);
/* calls cb(cancellable, data) on cancellation; returns the handler id */
extern unsigned long g_cancellable_connect(GCancellable *cancellable, void (*cb)(GCancellable *, void *), void *data);
/* removes the handler id from the cancellable */
extern void g_cancellable_disconnect(GCancellable *cancellable, unsigned long handler_id);
/* starts the HTTP call; calls call_async_cb(call, error, data) on completion; 0 on failure */
extern int rest_proxy_call_async(OvirtRestCall *call, void (*cb)(OvirtRestCall *, const GError *, void *), void *data, GError **error);
/* aborts a running HTTP call */
extern void rest_proxy_call_cancel(OvirtRestCall *call);
/* stores error in result and completes it */
extern void ovirt_async_result_fail(GSimpleAsyncResult *result, const GError *error);
/* stores the boolean in result and completes it */
extern void ovirt_async_result_succeed(GSimpleAsyncResult *result, int value);

static void g_cancellable_finalize(struct kref *ref)
{
	free(container_of(ref, GCancellable, ref));
}

GCancellable *g_cancellable_ref(GCancellable *cancellable)
{
	kref_get(&cancellable->ref);
	return cancellable;
}

void g_cancellable_unref(GCancellable *cancellable)
{
	kref_put(&cancellable->ref, g_cancellable_finalize);
}

static void ovirt_proxy_call_async_data_free(OvirtProxyCallAsyncData *data)
{
	if (data->destroy_call_data != NULL)
		data->destroy_call_data(data->call_user_data);
	if (data->proxy != NULL)
		g_object_unref(data->proxy);
	if (data->result != NULL)
		g_object_unref(data->result);
	if (data->cancellable != NULL && data->cancellable_cb_id != 0)
		g_cancellable_disconnect(data->cancellable, data->cancellable_cb_id);
	free(data);
}

static void call_async_cancelled_cb(GCancellable *cancellable, void *call)
{
	(void)cancellable;
	rest_proxy_call_cancel(call);
}

static void call_async_cb(OvirtRestCall *call, const GError *error, void *user_data)
{
	OvirtProxyCallAsyncData *data = user_data;

	if (error != NULL) {
		ovirt_async_result_fail(data->result, error);
	} else {
		GError *call_error = NULL;
		int callback_result = 1;

		if (data->call_async_cb != NULL)
			callback_result = data->call_async_cb(data->proxy, call, data->call_user_data, &call_error);
		if (call_error != NULL)
			ovirt_async_result_fail(data->result, call_error);
		else
			ovirt_async_result_succeed(data->result, callback_result);
	}
	ovirt_proxy_call_async_data_free(data);
}

void ovirt_rest_call_async(OvirtRestCall *call, GSimpleAsyncResult *result,
			   GCancellable *cancellable, OvirtProxyCallAsyncCb callback,
			   void *user_data, GDestroyNotify destroy_func)
{
	GError *error = NULL;
	OvirtProxyCallAsyncData *data;

	data = calloc(1, sizeof(*data));
	if (data == NULL)
		return;
	data->proxy = ovirt_rest_call_get_proxy(call);
	data->result = result;
	data->call_async_cb = callback;
	data->call_user_data = user_data;
	data->destroy_call_data = destroy_func;
	if (cancellable != NULL) {
		data->cancellable = cancellable; /* expect: rule 1 */
		data->cancellable_cb_id = g_cancellable_connect(cancellable, call_async_cancelled_cb, call);
	}

	if (!rest_proxy_call_async(call, call_async_cb, data, &error)) {
		ovirt_async_result_fail(result, error);
		ovirt_proxy_call_async_data_free(data);
	}
}
