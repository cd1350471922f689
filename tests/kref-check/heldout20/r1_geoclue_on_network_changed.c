/* SPDX-License-Identifier: MIT */
/*
 * Project: freedesktop/geoclue
 * Path: src/gclue-locator.c
 * Fix commit: aa9e957478003581868460cd70e961a0960eef0d
 * Bug: on_network_changed() starts an asynchronous geoip search with the
 * locator as the callback's user data but without a reference, while
 * on_ipclient_search_ready() drops one, so the locator can be freed under
 * the pending search and its reference count is put once too often.
 */
#include <stdlib.h>
#include <kref.h>

struct GClueIpclient;
struct GClueLocationInfo;
struct GCancellable;

typedef void (*GAsyncReadyCallback)(struct GClueIpclient *source,
				    void *res, void *user_data);

struct GClueLocator {
	struct kref ref;
	struct GClueIpclient *ipclient;
	struct GCancellable *cancellable;
	struct GClueLocationInfo *location;
	unsigned long network_changed_id;
};

/* starts the HTTP query; keeps callback and user_data until it completes, takes no reference */
extern void gclue_ipclient_search_async(struct GClueIpclient *ipclient,
					struct GCancellable *cancellable,
					GAsyncReadyCallback callback,
					void *user_data);
/* returns a new reference on the found location, or NULL */
extern struct GClueLocationInfo *gclue_ipclient_search_finish(struct GClueIpclient *ipclient,
							      void *res);
/* replaces locator->location (takes its own reference on the new one) */
extern void gclue_locator_update_location(struct GClueLocator *locator,
					  struct GClueLocationInfo *location);
/* drops a reference on a location */
extern void gclue_location_info_unref(struct GClueLocationInfo *location);
/* cancels, then re-arms, the locator's cancellable */
extern void gclue_cancellable_cancel_and_reset(struct GCancellable *cancellable);
/* frees the locator's ipclient, cancellable and location */
extern void gclue_locator_free_members(struct GClueLocator *locator);

static void gclue_locator_release(struct kref *ref)
{
	struct GClueLocator *locator = container_of(ref, struct GClueLocator, ref);

	gclue_locator_free_members(locator);
	free(locator);
}

static struct GClueLocator *gclue_locator_ref(struct GClueLocator *locator)
{
	kref_get(&locator->ref);
	return locator;
}

void gclue_locator_unref(struct GClueLocator *locator)
{
	kref_put(&locator->ref, gclue_locator_release);
}

void on_ipclient_search_ready(struct GClueIpclient *ipclient, void *res,
			      void *user_data)
{
	struct GClueLocator *locator = user_data;
	struct GClueLocationInfo *location;

	location = gclue_ipclient_search_finish(ipclient, res);
	if (location == NULL) {
		gclue_locator_unref(locator);
		return;
	}

	gclue_locator_update_location(locator, location);
	gclue_location_info_unref(location);
	gclue_locator_unref(locator);
}

void on_network_changed(void *monitor, int available, void *user_data)
{
	struct GClueLocator *locator = user_data;
	struct GClueIpclient *ipclient = locator->ipclient;
	struct GCancellable *cancellable = locator->cancellable;

	(void)monitor;
	if (!available)
		return;

	gclue_cancellable_cancel_and_reset(cancellable);
	gclue_ipclient_search_async(ipclient, cancellable, on_ipclient_search_ready, locator); /* expect: rule 1 */
}

void gclue_locator_start(struct GClueLocator *locator,
			 struct GCancellable *cancellable)
{
	gclue_ipclient_search_async(locator->ipclient, cancellable,
				    on_ipclient_search_ready,
				    gclue_locator_ref(locator));
}
