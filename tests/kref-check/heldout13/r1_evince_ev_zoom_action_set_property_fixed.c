/* SPDX-License-Identifier: MIT */
/*
 * Project: GNOME/evince
 * Path: shell/ev-zoom-action.c
 * Fix commit: f98937821439639ca44c2ec3b223a72ac1cbecab
 * Bug: the "menu" property setter stores the GMenu from the GValue in the
 * zoom action with g_value_get_object() (no reference), so once the caller
 * drops its menu the action keeps a dangling pointer.
 */
#include <stdlib.h>
#include <kref.h>

typedef void *gpointer;
typedef unsigned int guint;

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

#define g_clear_object(pp)					\
	do {							\
		if (*(pp)) {					\
			g_object_unref(*(pp));			\
			*(pp) = NULL;				\
		}						\
	} while (0)

/* A GValue holding an object: it owns one reference to it. */
typedef struct {
	gpointer v_object;
} GValue;

/* Borrowed: valid only while the GValue (and its owner) lives. */
gpointer g_value_get_object(const GValue *value)
{
	return value->v_object;
}

/* New reference for the caller. */
gpointer g_value_dup_object(const GValue *value)
{
	return value->v_object ? g_object_ref(value->v_object) : NULL;
}

typedef struct _GMenu {
	GObject parent_instance;
} GMenu;

typedef struct _GtkWidget GtkWidget;

typedef struct {
	GMenu *menu;
	GMenu *zoom_free_section;
	GtkWidget *popup;
} EvZoomActionPrivate;

typedef struct {
	GObject parent_instance;
	EvZoomActionPrivate *priv;
} EvZoomAction;

enum {
	PROP_0,
	PROP_MENU
};

/* Builds a popup from the model; the popup takes its own reference. */
extern GtkWidget *gtk_menu_new_from_model(GMenu *model);
/* Chains up to the parent class's finalize, which frees the object. */
extern void ev_zoom_action_parent_finalize(GObject *object);

GtkWidget *
get_popup(EvZoomAction *zoom_action)
{
	if (zoom_action->priv->popup)
		return zoom_action->priv->popup;

	zoom_action->priv->popup = gtk_menu_new_from_model(zoom_action->priv->menu);
	return zoom_action->priv->popup;
}

void
ev_zoom_action_finalize(GObject *object)
{
	EvZoomAction *zoom_action = (EvZoomAction *)object;

	g_clear_object(&zoom_action->priv->menu);
	g_clear_object(&zoom_action->priv->zoom_free_section);

	ev_zoom_action_parent_finalize(object);
}

void
ev_zoom_action_set_property(GObject *object, guint prop_id, const GValue *value)
{
	EvZoomAction *zoom_action = (EvZoomAction *)object;

	switch (prop_id) {
	case PROP_MENU:
		zoom_action->priv->menu = g_value_dup_object(value);
		break;
	default:
		break;
	}
}
