/* SPDX-License-Identifier: MIT */
/*
 * Project: GNOME/gnome-control-center
 * Path: panels/common/cc-language-chooser.c
 * Fix commit: 65c43b4fac8bd1e65965389c603702518de3efc6
 * Bug: cc_language_chooser_new() attaches its auto-freed GtkBuilder to the
 * dialog with an unref destroy notify but without taking a reference, so the
 * builder is released at the end of the function while the dialog keeps it.
 */
#include <stdlib.h>
#include <kref.h>

typedef void *gpointer;
typedef void (*GDestroyNotify)(gpointer data);

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

typedef struct _GtkBuilder {
	GObject parent_instance;
} GtkBuilder;

typedef struct _GtkWidget GtkWidget;

/* g_autoptr(GtkBuilder): drops the variable's reference at scope exit. */
static inline void GtkBuilder_autoptr_cleanup(GtkBuilder **builder)
{
	if (*builder)
		g_object_unref(*builder);
}
#define g_autoptr(T) __attribute__((cleanup(T##_autoptr_cleanup))) T *

typedef struct {
	GtkWidget *done_button;
	GtkWidget *filter_entry;
	GtkWidget *language_list;
	char *language;
} CcLanguageChooserPrivate;

/* Returns a new builder (one reference for the caller). */
extern GtkBuilder *gtk_builder_new(void);
/* Loads the UI description; returns 0 on failure. */
extern unsigned int gtk_builder_add_from_resource(GtkBuilder *builder, const char *path);
/* Returns a borrowed pointer to an object owned by the builder. */
extern GtkWidget *gtk_builder_get_object(GtkBuilder *builder, const char *name);
/* Attaches data to the object; destroy(data) runs when the object is finalized. */
extern void g_object_set_data_full(gpointer object, const char *key, gpointer data,
				   GDestroyNotify destroy);
/* Frees the chooser's private data. */
extern void cc_language_chooser_private_free(gpointer data);
/* Makes the dialog transient for its parent window. */
extern void gtk_window_set_transient_for(GtkWidget *window, GtkWidget *parent);
/* Fills the list with the installed languages. */
extern void add_all_languages(GtkWidget *chooser);

#define WID(name) (gtk_builder_get_object(builder, name))

GtkWidget *
cc_language_chooser_new(GtkWidget *parent)
{
	g_autoptr(GtkBuilder) builder = NULL;
	GtkWidget *chooser;
	CcLanguageChooserPrivate *priv;

	builder = gtk_builder_new();
	if (gtk_builder_add_from_resource(builder, "/org/gnome/control-center/common/language-chooser.ui") == 0)
		return NULL;

	chooser = WID("language-dialog");
	priv = calloc(1, sizeof(*priv));
	g_object_set_data_full(chooser, "private", priv, cc_language_chooser_private_free);
	g_object_set_data_full(chooser, "builder", builder, g_object_unref); /* expect: rule 1 */

	priv->done_button = WID("ok-button");
	priv->filter_entry = WID("language-filter-entry");
	priv->language_list = WID("language-list");

	add_all_languages(chooser);
	gtk_window_set_transient_for(chooser, parent);

	return chooser;
}
