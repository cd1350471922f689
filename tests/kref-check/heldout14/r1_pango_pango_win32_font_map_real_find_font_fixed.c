/* SPDX-License-Identifier: MIT */
/*
 * Project: GNOME/pango
 * Path: pango/pangowin32-fontmap.c
 * Fix: 2919b756338da92a786bafdb44b119a82442e603
 * Bug: a newly made Win32 font keeps a pointer to the face it was made from
 * without a reference, so when the font map is reloaded and drops its faces
 * the font is left with a dangling win32face.
 */
#include <stdlib.h>
#include <kref.h>

typedef struct _GSList GSList;
struct _GSList {
	void *data;
	GSList *next;
};

/* links data at the head of list, returns the new head */
extern GSList *g_slist_prepend(GSList *list, void *data);
/* unlinks the first link holding data, returns the new head */
extern GSList *g_slist_remove(GSList *list, const void *data);
/* frees the links only, not the data */
extern void g_slist_free(GSList *list);

typedef struct _PangoWin32FontMap PangoWin32FontMap;
typedef struct _PangoFontDescription PangoFontDescription;

/* A face of a family; the font map's family owns one reference. */
typedef struct _PangoWin32Face {
	struct kref ref;		/* GObject reference count */
	char *face_name;
	GSList *cached_fonts;		/* fonts made from this face, not counted */
} PangoWin32Face;

/* A sized font; the caller of find_font gets the first reference. */
typedef struct _PangoWin32Font {
	struct kref ref;		/* GObject reference count */
	PangoWin32FontMap *fontmap;
	PangoWin32Face *win32face;
	int size;
} PangoWin32Font;

/* makes a font with one reference, or NULL */
extern PangoWin32Font *pango_win32_font_neww(PangoWin32FontMap *fontmap, PangoWin32Face *face, int size);
/* returns the size asked for in description, in font map units */
extern int pango_win32_font_map_get_size(PangoWin32FontMap *fontmap, const PangoFontDescription *description);

static void pango_win32_face_finalize(struct kref *ref)
{
	PangoWin32Face *win32face = container_of(ref, PangoWin32Face, ref);

	free(win32face->face_name);
	g_slist_free(win32face->cached_fonts);
	free(win32face);
}

PangoWin32Face *pango_win32_face_ref(PangoWin32Face *face)
{
	kref_get(&face->ref);
	return face;
}

void pango_win32_face_unref(PangoWin32Face *face)
{
	kref_put(&face->ref, pango_win32_face_finalize);
}

void pango_win32_font_entry_remove(PangoWin32Face *face, PangoWin32Font *font)
{
	face->cached_fonts = g_slist_remove(face->cached_fonts, font);
}

static void pango_win32_font_finalize(struct kref *ref)
{
	PangoWin32Font *win32font = container_of(ref, PangoWin32Font, ref);

	pango_win32_font_entry_remove(win32font->win32face, win32font);
	pango_win32_face_unref(win32font->win32face);

	free(win32font);
}

void pango_win32_font_unref(PangoWin32Font *font)
{
	kref_put(&font->ref, pango_win32_font_finalize);
}

PangoWin32Font *pango_win32_font_map_real_find_font(PangoWin32FontMap *win32fontmap,
						    PangoWin32Face *face,
						    const PangoFontDescription *description)
{
	PangoWin32Font *win32font;
	GSList *tmp_list;
	int size = pango_win32_font_map_get_size(win32fontmap, description);

	for (tmp_list = face->cached_fonts; tmp_list; tmp_list = tmp_list->next) {
		win32font = tmp_list->data;
		if (win32font->size == size) {
			kref_get(&win32font->ref);
			return win32font;
		}
	}

	win32font = pango_win32_font_neww(win32fontmap, face, size);
	if (!win32font)
		return NULL;

	win32font->win32face = pango_win32_face_ref(face);
	face->cached_fonts = g_slist_prepend(face->cached_fonts, win32font);

	return win32font;
}
