/* SPDX-License-Identifier: MIT */
/*
 * Project: GNOME/gtksourceview
 * Path:    gtksourceview/gtksourceview.c
 * Fix:     d5a7d95f5e0dc4dd34b047881c6aba91e7b5ea55
 * Bug: once the gutters became child widgets, the view only borrowed its
 * left/right gutter pointers (the widget tree owns them), yet
 * gtk_source_view_dispose() still dropped a reference on each of them.
 */
#include <stddef.h>
#include <kref.h>

/* Every object below is reference counted like a GObject. */
typedef struct {
	struct kref ref;
	void (*finalize)(struct kref *ref);
} GObject;

typedef struct { GObject parent; } GtkSourceGutter;
typedef struct { GObject parent; } GtkSourceCompletion;
typedef struct { GObject parent; } GtkSourceStyleScheme;
typedef struct { GObject parent; } GtkSourceSpaceDrawer;

typedef enum {
	GTK_TEXT_WINDOW_LEFT,
	GTK_TEXT_WINDOW_RIGHT,
} GtkTextWindowType;

typedef struct {
	GtkSourceCompletion *completion;	/* owned */
	GtkSourceGutter *left_gutter;		/* borrowed: a child widget */
	GtkSourceGutter *right_gutter;		/* borrowed: a child widget */
	GtkSourceStyleScheme *style_scheme;	/* owned */
	GtkSourceSpaceDrawer *space_drawer;	/* owned */
} GtkSourceViewPrivate;

typedef struct {
	GObject parent;
	GtkSourceViewPrivate *priv;
} GtkSourceView;

/* Creates a gutter widget; returns a floating (not yet owned) reference. */
extern GtkSourceGutter *gtk_source_gutter_new(GtkSourceView *view,
					      GtkTextWindowType type);
/* Makes the widget a child of the view, sinking its floating reference:
 * from then on the view's widget tree owns the gutter and unparents it. */
extern void gtk_widget_set_parent(GtkSourceGutter *gutter, GtkSourceView *parent);
/* Chains up to the parent class dispose (unparents the children). */
extern void gtk_source_view_parent_dispose(GtkSourceView *view);

static void g_object_unref(GObject *object)
{
	kref_put(&object->ref, object->finalize);
}

#define g_clear_object(pp)						\
	do {								\
		if (*(pp) != NULL) {					\
			g_object_unref(&(*(pp))->parent);		\
			*(pp) = NULL;					\
		}							\
	} while (0)

GtkSourceGutter *gtk_source_view_get_gutter(GtkSourceView *view,
					    GtkTextWindowType window_type)
{
	GtkSourceViewPrivate *priv = view->priv;

	if (window_type == GTK_TEXT_WINDOW_LEFT) {
		if (priv->left_gutter == NULL) {
			priv->left_gutter = gtk_source_gutter_new(view, window_type);
			gtk_widget_set_parent(priv->left_gutter, view);
		}
		return priv->left_gutter;
	}

	if (priv->right_gutter == NULL) {
		priv->right_gutter = gtk_source_gutter_new(view, window_type);
		gtk_widget_set_parent(priv->right_gutter, view);
	}
	return priv->right_gutter;
}

void gtk_source_view_dispose(GtkSourceView *view)
{
	GtkSourceViewPrivate *priv = view->priv;

	g_clear_object(&priv->completion);
	g_clear_object(&priv->left_gutter); /* expect: rule 2 */
	g_clear_object(&priv->right_gutter); /* expect: rule 2 */
	g_clear_object(&priv->style_scheme);
	g_clear_object(&priv->space_drawer);

	gtk_source_view_parent_dispose(view);
}
