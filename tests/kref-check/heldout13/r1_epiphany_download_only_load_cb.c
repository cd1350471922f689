/* SPDX-License-Identifier: MIT */
/*
 * Project: GNOME/epiphany
 * Path: src/ephy-window.c
 * Fix commit: 4a2dac282b86e9af73f08062699c6d4a7a45078b
 * Bug: download_only_load_cb() hands the tab's EphyEmbed to an idle callback
 * without taking a reference, so the embed can be destroyed before
 * delayed_remove_child() runs.
 */
#include <stdlib.h>
#include <kref.h>

typedef void *gpointer;
typedef int gboolean;
#define FALSE 0

/* Just enough of GObject: one counter, the last unref frees. */
typedef struct _GObject {
	struct kref ref_count;
} GObject;

static void g_object_finalize(struct kref *kref)
{
	free(container_of(kref, GObject, ref_count));
}

gpointer g_object_ref(gpointer object)
{
	kref_get(&((GObject *)object)->ref_count);
	return object;
}

void g_object_unref(gpointer object)
{
	kref_put(&((GObject *)object)->ref_count, g_object_finalize);
}

typedef struct _EphyEmbed {
	GObject parent_instance;	/* the tab view owns the only reference */
} EphyEmbed;

typedef struct _EphyWebView EphyWebView;
typedef struct _EphyTabView EphyTabView;
typedef struct _EphyEmbedContainer EphyEmbedContainer;

typedef struct _EphyWindow {
	GObject parent_instance;
	EphyTabView *tab_view;
} EphyWindow;

/* Runs func(data) later from the main loop; keeps no reference on data. */
extern unsigned int g_idle_add(gboolean (*func)(gpointer data), gpointer data);
/* Returns a borrowed pointer to the embed that contains the web view. */
extern EphyEmbed *EPHY_GET_EMBED_FROM_EPHY_WEB_VIEW(EphyWebView *view);
/* Returns a borrowed pointer to the window the embed sits in. */
extern EphyEmbedContainer *ephy_embed_get_container(EphyEmbed *embed);
/* Closes the tab: drops the tab view's reference to the embed. */
extern void ephy_embed_container_remove_child(EphyEmbedContainer *container, EphyEmbed *child);
/* Number of open tabs. */
extern int ephy_tab_view_get_n_pages(EphyTabView *tab_view);
/* Loads the home page in the view. */
extern void ephy_web_view_load_homepage(EphyWebView *view);

static gboolean
delayed_remove_child(gpointer data)
{
	EphyEmbed *embed = data;
	EphyEmbedContainer *container = ephy_embed_get_container(embed);

	ephy_embed_container_remove_child(container, embed);

	return FALSE;
}

void
download_only_load_cb(EphyWebView *view, EphyWindow *window)
{
	if (ephy_tab_view_get_n_pages(window->tab_view) == 1) {
		ephy_web_view_load_homepage(view);
		return;
	}

	g_idle_add(delayed_remove_child, EPHY_GET_EMBED_FROM_EPHY_WEB_VIEW(view)); /* expect: rule 1 */
}
