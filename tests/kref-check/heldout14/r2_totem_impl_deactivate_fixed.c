/* SPDX-License-Identifier: MIT */
/*
 * Project: GNOME/totem
 * Path:    src/plugins/save-file/totem-save-file.c
 * Fix:     bb05d131a1aee2d7be7690f3ba30476306326bb9
 * Bug:     the save-file plugin keeps the full reference that
 *          totem_object_get_video_widget() returns, but impl_deactivate()
 *          just sets pi->bvw to NULL, so the BaconVideoWidget is never
 *          finalized.
 */
#include <stdlib.h>
#include <kref.h>

/* GObject's reference count, here a kref */
typedef struct {
	struct kref ref;
	char *download_filename;
} BaconVideoWidget;

typedef struct {
	BaconVideoWidget *bvw;	/* owned by the TotemObject */
} TotemObject;

typedef struct {
	TotemObject *totem;	/* borrowed: the plugin engine keeps it alive */
	BaconVideoWidget *bvw;	/* owned: from totem_object_get_video_widget() */
	char *mrl;
	char *cache_mrl;
} TotemSaveFilePlugin;

/* returns the "object" data set on the plugin: a borrowed TotemObject */
extern TotemObject *totem_save_file_get_totem(TotemSaveFilePlugin *pi);
/* connects/disconnects the notify::download-filename handler; no reference */
extern void totem_save_file_connect(BaconVideoWidget *bvw, TotemSaveFilePlugin *pi);
extern void totem_save_file_disconnect(BaconVideoWidget *bvw, TotemSaveFilePlugin *pi);

static void bacon_video_widget_finalize(struct kref *ref)
{
	BaconVideoWidget *bvw = container_of(ref, BaconVideoWidget, ref);

	free(bvw->download_filename);
	free(bvw);
}

/* g_object_unref() for the widget */
void g_object_unref(BaconVideoWidget *bvw)
{
	kref_put(&bvw->ref, bacon_video_widget_finalize);
}

/* g_clear_object(): drop the reference and clear the pointer */
void g_clear_object(BaconVideoWidget **bvwp)
{
	BaconVideoWidget *bvw = *bvwp;

	*bvwp = NULL;
	if (bvw != NULL)
		g_object_unref(bvw);
}

/* transfer full: the caller gets its own reference */
BaconVideoWidget *totem_object_get_video_widget(TotemObject *totem)
{
	kref_get(&totem->bvw->ref);
	return totem->bvw;
}

void impl_activate(TotemSaveFilePlugin *pi)
{
	pi->totem = totem_save_file_get_totem(pi);
	pi->bvw = totem_object_get_video_widget(pi->totem);
	totem_save_file_connect(pi->bvw, pi);
}

void impl_deactivate(TotemSaveFilePlugin *pi)
{
	totem_save_file_disconnect(pi->bvw, pi);

	pi->totem = NULL;
	g_clear_object(&pi->bvw);

	free(pi->mrl);
	pi->mrl = NULL;
	free(pi->cache_mrl);
	pi->cache_mrl = NULL;
}
