/* SPDX-License-Identifier: MIT */
/*
 * Project: GNOME/rhythmbox
 * Path: plugins/audioscrobbler/rb-audioscrobbler-plugin.c
 * Fix: de1621b20e31a87f791f09e0080ba78cf956321b
 * Bug: lastfm_settings_changed_cb() keeps the new Last.fm profile page in
 * plugin->lastfm_page although the only reference belongs to the shell's
 * page tree, and later unrefs it after deleting the page, one put too many.
 */
#include <string.h>
#include <kref.h>

typedef int gboolean;
#define TRUE	1
#define FALSE	0

typedef struct _RBShell RBShell;
typedef struct _GSettings GSettings;
typedef struct _RBAudioscrobblerService RBAudioscrobblerService;

typedef struct _RBDisplayPage {
	struct kref ref;
	gboolean deleted;
} RBDisplayPage;

typedef struct {
	RBShell *shell;
	RBDisplayPage *lastfm_page;	/* meant to be counted */
} RBAudioscrobblerPlugin;

#define AUDIOSCROBBLER_SERVICE_ENABLED_KEY "enabled"

/* reads a boolean key */
extern gboolean g_settings_get_boolean(GSettings *settings, const char *key);
/* creates the Last.fm service; the caller owns the reference */
extern RBAudioscrobblerService *rb_audioscrobbler_service_new_lastfm(void);
/* drops a reference on the service */
extern void rb_audioscrobbler_service_unref(RBAudioscrobblerService *service);
/* creates the page and appends it to the shell's page tree, which takes the
 * only reference; returns a borrowed pointer */
extern RBDisplayPage *rb_audioscrobbler_profile_page_new(RBShell *shell,
		RBAudioscrobblerPlugin *plugin, RBAudioscrobblerService *service);
/* removes the page from the shell's page tree, which drops its reference */
extern void rb_display_page_delete_thyself(RBDisplayPage *page);
/* frees the page */
extern void rb_display_page_finalize(struct kref *kref);

RBDisplayPage *g_object_ref(RBDisplayPage *page)
{
	kref_get(&page->ref);
	return page;
}

void g_object_unref(RBDisplayPage *page)
{
	kref_put(&page->ref, rb_display_page_finalize);
}

void lastfm_settings_changed_cb(GSettings *settings, const char *key,
				RBAudioscrobblerPlugin *plugin)
{
	gboolean enabled;

	if (strcmp(key, AUDIOSCROBBLER_SERVICE_ENABLED_KEY) != 0)
		return;

	enabled = g_settings_get_boolean(settings, key);
	if (enabled == TRUE && plugin->lastfm_page == NULL) {
		RBAudioscrobblerService *lastfm;

		lastfm = rb_audioscrobbler_service_new_lastfm();
		plugin->lastfm_page = rb_audioscrobbler_profile_page_new(plugin->shell, plugin, lastfm);
		rb_audioscrobbler_service_unref(lastfm);
		g_object_ref(plugin->lastfm_page);
	} else if (enabled == FALSE && plugin->lastfm_page != NULL) {
		rb_display_page_delete_thyself(plugin->lastfm_page);
		g_object_unref(plugin->lastfm_page);
		plugin->lastfm_page = NULL;
	}
}
