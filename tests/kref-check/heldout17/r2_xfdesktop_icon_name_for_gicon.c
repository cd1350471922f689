/* SPDX-License-Identifier: MIT */
/*
 * Project: xfce-mirror/xfdesktop
 * Path: src/xfdesktop-notify.c
 * Fix: 060b6b7cfa0940b03289c182b4010f8451ee2e2b
 * Bug: icon_name_for_gicon() unrefs the GFile returned by
 * g_file_icon_get_file(), which is owned by the GFileIcon (transfer none),
 * so the icon loses its file and later uses or frees it again.
 */
#include <kref.h>
#include <stdlib.h>
#include <string.h>

typedef char gchar;

/* A GFile; ob_ref stands for the GObject ref_count. */
typedef struct GFile {
	struct kref ob_ref;
	char *path;
} GFile;

typedef struct GIcon {
	int is_themed;
	const gchar *const *names;	/* themed icons */
	GFile *file;			/* file icons: one reference owned here */
} GIcon;

static void g_file_finalize(struct kref *kref)
{
	GFile *file = container_of(kref, GFile, ob_ref);

	free(file->path);
	free(file);
}

static inline void g_object_unref(GFile *file)
{
	kref_put(&file->ob_ref, g_file_finalize);
}

/* Returns a newly allocated copy of str. */
extern gchar *g_strdup(const gchar *str);
/* Returns a newly allocated copy of the file's local path, or NULL. */
extern gchar *g_file_get_path(GFile *file);

#define G_IS_THEMED_ICON(i)	((i)->is_themed)
#define G_IS_FILE_ICON(i)	(!(i)->is_themed)

static inline const gchar *const *g_themed_icon_get_names(GIcon *icon)
{
	return icon->names;
}

/* Transfer none: returns the file the icon owns, without a new reference. */
static inline GFile *g_file_icon_get_file(GIcon *icon)
{
	return icon->file;
}

gchar *icon_name_for_gicon(GIcon *icon)
{
	gchar *icon_name = NULL;

	if (G_IS_THEMED_ICON(icon)) {
		const gchar *const *icon_names = g_themed_icon_get_names(icon);

		if (icon_names != NULL)
			icon_name = g_strdup(icon_names[0]);
	} else if (G_IS_FILE_ICON(icon)) {
		GFile *icon_file = g_file_icon_get_file(icon);

		if (icon_file != NULL) {
			icon_name = g_file_get_path(icon_file);
			g_object_unref(icon_file); /* expect: rule 2 */
		}
	}

	if (icon_name != NULL)
		return icon_name;
	return g_strdup("drive-removable-media");
}
