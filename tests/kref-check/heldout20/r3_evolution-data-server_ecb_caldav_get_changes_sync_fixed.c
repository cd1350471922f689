/* SPDX-License-Identifier: MIT */
/*
 * Project: GNOME/evolution-data-server
 * Path: src/calendar/backends/caldav/e-cal-backend-caldav.c
 * Fix commit: 7928fa5ae16eafb988d27b1dda95cdf042edc107
 * Bug: ecb_caldav_get_changes_sync() works on cbdav->priv->webdav, read with
 * no lock and no reference, while ecb_caldav_disconnect_sync() in another
 * thread clears that field and drops the backend's reference to the session.
 */
#include <pthread.h>
#include <stdlib.h>
#include <kref.h>

typedef struct _EWebDAVSession {
	struct kref ref;		/* the GObject count */
	void *soup_session;
} EWebDAVSession;

typedef struct _ECalBackendCalDAVPrivate {
	EWebDAVSession *webdav;		/* the main WebDAV session, one reference */
	pthread_mutex_t webdav_lock;
	int ctag_supported;
} ECalBackendCalDAVPrivate;

typedef struct _ECalBackendCalDAV {
	ECalBackendCalDAVPrivate *priv;
	void *source;
} ECalBackendCalDAV;

/* creates a session for the source, returned with one reference */
extern EWebDAVSession *e_webdav_session_new(void *source);
/* finalizes the soup session and frees the object */
extern void e_webdav_session_finalize(EWebDAVSession *webdav);
/* aborts every pending message of the session */
extern void soup_session_abort(EWebDAVSession *webdav);
/* OPTIONS request: checks that the server talks CalDAV */
extern int e_webdav_session_options_sync(EWebDAVSession *webdav);
/* PROPFIND of the collection's ctag, newly allocated in *out_ctag */
extern int e_webdav_session_getctag_sync(EWebDAVSession *webdav, char **out_ctag);
/* REPORT calendar-query listing hrefs and etags of the collection */
extern int e_webdav_session_report_sync(EWebDAVSession *webdav, const char *xml,
					void *known_items);
/* builds the calendar-query XML for the backend's component kind */
extern char *ecb_caldav_build_query(ECalBackendCalDAV *cbdav);

static void e_webdav_session_release(struct kref *ref)
{
	e_webdav_session_finalize(container_of(ref, EWebDAVSession, ref));
}

static EWebDAVSession *ecb_caldav_ref_session(ECalBackendCalDAV *cbdav)
{
	EWebDAVSession *webdav;

	pthread_mutex_lock(&cbdav->priv->webdav_lock);
	webdav = cbdav->priv->webdav;
	if (webdav)
		kref_get(&webdav->ref);
	pthread_mutex_unlock(&cbdav->priv->webdav_lock);

	return webdav;
}

int ecb_caldav_connect_sync(ECalBackendCalDAV *cbdav)
{
	EWebDAVSession *webdav;

	pthread_mutex_lock(&cbdav->priv->webdav_lock);
	if (cbdav->priv->webdav) {
		pthread_mutex_unlock(&cbdav->priv->webdav_lock);
		return 1;
	}
	pthread_mutex_unlock(&cbdav->priv->webdav_lock);

	webdav = e_webdav_session_new(cbdav->source);
	if (!webdav)
		return 0;
	if (!e_webdav_session_options_sync(webdav)) {
		kref_put(&webdav->ref, e_webdav_session_release);
		return 0;
	}
	pthread_mutex_lock(&cbdav->priv->webdav_lock);
	cbdav->priv->webdav = webdav;
	pthread_mutex_unlock(&cbdav->priv->webdav_lock);
	return 1;
}

/* runs in another thread when the backend goes offline */
void ecb_caldav_disconnect_sync(ECalBackendCalDAV *cbdav)
{
	EWebDAVSession *webdav;

	pthread_mutex_lock(&cbdav->priv->webdav_lock);
	webdav = cbdav->priv->webdav;
	if (webdav) {
		soup_session_abort(webdav);
		cbdav->priv->webdav = NULL;
		kref_put(&webdav->ref, e_webdav_session_release);
	}
	pthread_mutex_unlock(&cbdav->priv->webdav_lock);
}

int ecb_caldav_get_changes_sync(ECalBackendCalDAV *cbdav, const char *last_sync_tag,
				char **out_new_sync_tag, void *known_items)
{
	EWebDAVSession *webdav;
	char *xml;
	int success;

	webdav = ecb_caldav_ref_session(cbdav);
	if (!webdav)
		return 0;

	if (cbdav->priv->ctag_supported) {
		char *new_sync_tag = NULL;

		success = e_webdav_session_getctag_sync(webdav, &new_sync_tag);
		if (!success) {
			cbdav->priv->ctag_supported = 0;
		} else if (last_sync_tag && new_sync_tag) {
			*out_new_sync_tag = new_sync_tag;
			new_sync_tag = NULL;
		}
		free(new_sync_tag);
	}

	xml = ecb_caldav_build_query(cbdav);
	success = xml && e_webdav_session_report_sync(webdav, xml, known_items);
	free(xml);

	kref_put(&webdav->ref, e_webdav_session_release);
	return success;
}
