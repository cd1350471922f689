/* SPDX-License-Identifier: MIT */
/*
 * Project: GNOME/gupnp
 * Path:    libgupnp/gupnp-control-point.c
 * Fix:     4a68246fe21df78bd1c3a0460d2d1eaaaf5747f7
 * Bug:     load_description() stores the control point in the data of an
 *          asynchronous HTTP download without taking a reference, so the
 *          control point can be finalized while the download is in flight.
 */
#include <stdlib.h>
#include <string.h>
#include <kref.h>

struct GUPnPControlPoint {
	struct kref ref;
	void *session;		/* HTTP session used for downloads */
	void *doc_cache;	/* description documents already fetched */
};

typedef struct {
	struct GUPnPControlPoint *control_point;
	void *message;
	char *udn;
	char *service_type;
	char *description_url;
} GetDescriptionURLData;

/* frees the control point's members and the struct itself */
extern void gupnp_control_point_finalize(struct GUPnPControlPoint *cp);
/* returns a borrowed pointer to a cached document, or NULL */
extern void *lookup_cached_doc(struct GUPnPControlPoint *cp, const char *url);
/* creates the devices and services described by a document */
extern void description_loaded(struct GUPnPControlPoint *cp, void *doc,
			       const char *udn, const char *service_type,
			       const char *description_url);
/* creates a GET request for url (caller owns it) */
extern void *http_request_new_get(const char *url);
/* frees a request */
extern void http_request_free(void *message);
/* parses the body of a finished request, NULL on failure */
extern void *http_request_parse_doc(void *message);
/* sends message later on the main loop and calls cb(user_data) when done */
extern void http_session_queue(void *session, void *message,
			       void (*cb)(void *user_data), void *user_data);

static void control_point_release(struct kref *ref)
{
	gupnp_control_point_finalize(
		container_of(ref, struct GUPnPControlPoint, ref));
}

static void
get_description_url_data_free(GetDescriptionURLData *data)
{
	http_request_free(data->message);
	free(data->udn);
	free(data->service_type);
	free(data->description_url);
	free(data);
}

static void
got_description_url(void *user_data)
{
	GetDescriptionURLData *data = user_data;
	void *doc;

	doc = http_request_parse_doc(data->message);
	if (doc)
		description_loaded(data->control_point, doc, data->udn,
				   data->service_type, data->description_url);

	get_description_url_data_free(data);
}

void
load_description(struct GUPnPControlPoint *control_point,
		 const char *description_url,
		 const char *udn,
		 const char *service_type)
{
	GetDescriptionURLData *data;
	void *doc;

	doc = lookup_cached_doc(control_point, description_url);
	if (doc) {
		description_loaded(control_point, doc, udn, service_type,
				   description_url);
		return;
	}

	data = calloc(1, sizeof(*data));
	if (!data)
		return;

	data->message = http_request_new_get(description_url);
	if (!data->message) {
		free(data);
		return;
	}

	data->control_point = control_point; /* expect: rule 1 */

	data->udn = strdup(udn);
	data->service_type = strdup(service_type);
	data->description_url = strdup(description_url);

	http_session_queue(control_point->session, data->message,
			   got_description_url, data);
}

void
gupnp_control_point_unref(struct GUPnPControlPoint *control_point)
{
	kref_put(&control_point->ref, control_point_release);
}
