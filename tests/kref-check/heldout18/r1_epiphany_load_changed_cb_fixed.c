/* SPDX-License-Identifier: MIT */
/*
 * Project: GNOME/epiphany
 * Path:    embed/ephy-web-view.c
 * Fix:     eab8da2259d5a79d5e892cda83a28cdaef762471
 *          ("ephy-web-view: Take a reference of the certificate returned by
 *          the response")
 * Bug: when a load is committed, load_changed_cb() keeps the certificate
 * that webkit_uri_response_get_https_status() lends it (transfer none) in
 * the view's long-lived priv->certificate without taking a reference, and
 * the view later drops a reference it never took.
 *
 * GTlsCertificate's GObject count is a struct kref here.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <kref.h>

typedef struct _GTlsCertificate {
	struct kref ref;
	unsigned char *der;
} GTlsCertificate;

typedef unsigned int GTlsCertificateFlags;

typedef struct _WebKitWebView WebKitWebView;
typedef struct _WebKitWebResource WebKitWebResource;
typedef struct _WebKitURIResponse WebKitURIResponse;

typedef enum {
	WEBKIT_LOAD_STARTED,
	WEBKIT_LOAD_REDIRECTED,
	WEBKIT_LOAD_COMMITTED,
	WEBKIT_LOAD_FINISHED,
} WebKitLoadEvent;

typedef enum {
	EPHY_WEB_VIEW_STATE_IS_UNKNOWN,
	EPHY_WEB_VIEW_STATE_IS_BROKEN,
	EPHY_WEB_VIEW_STATE_IS_SECURE_HIGH,
} EphyWebViewSecurityLevel;

typedef struct {
	GTlsCertificate *certificate;	/* the view's own reference */
	GTlsCertificateFlags tls_errors;
} EphyWebViewPrivate;

typedef struct {
	WebKitWebView *web_view;
	EphyWebViewPrivate *priv;
} EphyWebView;

/* borrowed pointer: the web view owns its main resource */
extern WebKitWebResource *webkit_web_view_get_main_resource(WebKitWebView *web_view);
/* borrowed pointer: the resource owns its response */
extern WebKitURIResponse *webkit_web_resource_get_response(WebKitWebResource *resource);
/* sets *certificate to the response's certificate, borrowed (transfer none);
 * true if the response came over HTTPS */
extern bool webkit_uri_response_get_https_status(WebKitURIResponse *response,
						 GTlsCertificate **certificate,
						 GTlsCertificateFlags *errors);
/* stores the level and notifies; does not touch the certificate */
extern void ephy_web_view_set_security_level(EphyWebView *view,
					     EphyWebViewSecurityLevel level);

static void g_tls_certificate_finalize(struct kref *ref)
{
	GTlsCertificate *cert = container_of(ref, GTlsCertificate, ref);

	free(cert->der);
	free(cert);
}

static void g_clear_object(GTlsCertificate **certificate)
{
	if (*certificate) {
		kref_put(&(*certificate)->ref, g_tls_certificate_finalize);
		*certificate = NULL;
	}
}

void load_changed_cb(WebKitWebView *web_view, WebKitLoadEvent load_event,
		     EphyWebView *view)
{
	EphyWebViewPrivate *priv = view->priv;
	EphyWebViewSecurityLevel security_level = EPHY_WEB_VIEW_STATE_IS_UNKNOWN;
	WebKitWebResource *resource;
	WebKitURIResponse *response;

	if (load_event != WEBKIT_LOAD_COMMITTED)
		return;

	/* Security status. */
	resource = webkit_web_view_get_main_resource(web_view);
	response = webkit_web_resource_get_response(resource);
	g_clear_object(&priv->certificate);
	if (webkit_uri_response_get_https_status(response, &priv->certificate, &priv->tls_errors)) {
		kref_get(&priv->certificate->ref);
		security_level = priv->tls_errors == 0 ?
			EPHY_WEB_VIEW_STATE_IS_SECURE_HIGH : EPHY_WEB_VIEW_STATE_IS_BROKEN;
	}

	ephy_web_view_set_security_level(view, security_level);
}

void ephy_web_view_dispose(EphyWebView *view)
{
	g_clear_object(&view->priv->certificate);
}
