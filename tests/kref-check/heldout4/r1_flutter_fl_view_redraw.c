/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: flutter/flutter PR #186848
 * "Fix crash if FlView is destroyed during a draw.",
 * engine/src/flutter/shell/platform/linux/fl_view.cc, fl_view_present_layers()
 * and redraw_cb().  The renderer thread hands the view to the GTK thread
 * with g_idle_add(redraw_cb, self) and no reference: when the window is
 * closed first, redraw_cb() runs on a finalized view ("g_mutex_clear()
 * called on uninitialised or locked mutex").  The fix passes
 * g_object_ref(self) and lets redraw_cb() drop it (g_autoptr).  GObject's
 * count written with struct kref.
 */
#include <stdlib.h>
#include <kref.h>

typedef int gboolean;
typedef void *gpointer;
typedef gboolean (*GSourceFunc)(gpointer user_data);
typedef struct FlView {
	struct kref ref_count;
	void *compositor;
	void *gl_area;
} FlView;

/* Adds func to the main loop's idle sources; returns the source id. */
extern unsigned g_idle_add(GSourceFunc func, gpointer data);
/* Queues a GTK redraw of the GL area. */
extern void gtk_widget_queue_draw(void *widget);
/* Hands the layers to the compositor; returns when they are stored. */
extern void fl_compositor_present_layers(void *compositor, void **layers, size_t n);

static void fl_view_finalize(struct kref *ref)
{
	free(container_of(ref, FlView, ref_count));
}

static FlView *g_object_ref(FlView *self)
{
	kref_get(&self->ref_count);
	return self;
}

static void g_object_unref(FlView *self)
{
	kref_put(&self->ref_count, fl_view_finalize);
}

/* Redraw the view from the GTK thread. */
static gboolean redraw_cb(gpointer user_data)
{
	FlView *self = user_data;

	gtk_widget_queue_draw(self->gl_area);
	return 0;
}

/* Called on the raster thread when the engine has new layers. */
static void fl_view_present_layers(FlView *self, void **layers, size_t n)
{
	fl_compositor_present_layers(self->compositor, layers, n);
	g_idle_add(redraw_cb, self); /* expect: rule 1 */
}

void present(FlView *self, void **layers, size_t n)
{
	fl_view_present_layers(self, layers, n);
}
