/* SPDX-License-Identifier: MIT */
/*
 * Project: GNOME/libadwaita
 * Path:    src/adw-tab.c
 * Fix:     0cdf019917f503037d5c7a428894159d0e7a165c
 * Bug:     close_clicked_cb() defers closing the page to an idle callback and
 *          passes the tab to it without a reference, so close_idle_cb() can
 *          run on a tab that was already destroyed.
 */
#include <stdlib.h>
#include <kref.h>

typedef struct AdwTabView AdwTabView;
typedef struct AdwTabPage AdwTabPage;

typedef struct {
	struct kref ref;
	void *title;
	void *close_btn;
	AdwTabView *view;
	AdwTabPage *page;
	int pinned;
	int dragging;
} AdwTab;

typedef void (*GSourceOnceFunc)(void *user_data);

/* Runs func(data) once from the main loop later; returns the source id. */
extern unsigned int g_idle_add_once(GSourceOnceFunc func, void *data);
/* Asks the view to close the page; may destroy the tab showing it. */
extern void adw_tab_view_close_page(AdwTabView *view, AdwTabPage *page);
/* Emits "indicator-activated" on the view. */
extern void adw_tab_view_emit_indicator_activated(AdwTabView *view,
						  AdwTabPage *page);
/* Disposes the tab's child widgets. */
extern void adw_tab_dispose_children(AdwTab *self);

void adw_tab_finalize(struct kref *ref)
{
	AdwTab *self = container_of(ref, AdwTab, ref);

	adw_tab_dispose_children(self);
	free(self);
}

static void close_idle_cb(AdwTab *self)
{
	adw_tab_view_close_page(self->view, self->page);
	kref_put(&self->ref, adw_tab_finalize);
}

/* "clicked" handler of the close button; the handler borrows the tab. */
void close_clicked_cb(AdwTab *self)
{
	if (!self->page)
		return;

	/* When animations are disabled, don't remove the whole tab
	 * mid-click; defer it until the click has happened. */
	kref_get(&self->ref);
	g_idle_add_once((GSourceOnceFunc)close_idle_cb, self);
}

/* "clicked" handler of the indicator button. */
void indicator_clicked_cb(AdwTab *self)
{
	if (!self->page)
		return;

	adw_tab_view_emit_indicator_activated(self->view, self->page);
}
