/* SPDX-License-Identifier: MIT */
/*
 * Project: GNOME/gdk-pixbuf
 * Path: gdk-pixbuf/io-gif-animation.c
 * Fix commit: dd3aa9ed64a0a370c8150f98e849ffc6e73da827
 * Bug: gdk_pixbuf_gif_anim_get_static_image() created an iterator to read
 * the first frame and returned without unreffing it; as the iterator holds a
 * reference on the animation, the whole animation leaked with it.
 */
#include <stdlib.h>
#include <kref.h>

typedef struct GdkPixbuf GdkPixbuf;
struct GList;

typedef struct GdkPixbufGifAnim {
	struct kref ref;
	struct GList *frames;
} GdkPixbufGifAnim;

typedef struct GdkPixbufGifAnimIter {
	struct kref ref;
	GdkPixbufGifAnim *gif_anim;	/* counted */
	long start_time;
	struct GList *current_frame;
} GdkPixbufGifAnimIter;

/* frees the frames and the animation */
extern void gdk_pixbuf_gif_anim_finalize(GdkPixbufGifAnim *gif_anim);
/* the iterator's current frame's pixbuf: a borrowed pointer, owned by the frame */
extern GdkPixbuf *gdk_pixbuf_gif_anim_iter_get_pixbuf(GdkPixbufGifAnimIter *iter);
/* moves the iterator to the frame for its start time */
extern void gdk_pixbuf_gif_anim_iter_advance(GdkPixbufGifAnimIter *iter, long now);

static void gdk_pixbuf_gif_anim_release(struct kref *ref)
{
	gdk_pixbuf_gif_anim_finalize(container_of(ref, GdkPixbufGifAnim, ref));
}

/* iterator finalize: drops the iterator's reference on the animation */
static void gdk_pixbuf_gif_anim_iter_finalize(struct kref *ref)
{
	GdkPixbufGifAnimIter *iter = container_of(ref, GdkPixbufGifAnimIter, ref);

	kref_put(&iter->gif_anim->ref, gdk_pixbuf_gif_anim_release);
	free(iter);
}

/* g_object_unref() on an iterator */
void gdk_pixbuf_gif_anim_iter_unref(GdkPixbufGifAnimIter *iter)
{
	kref_put(&iter->ref, gdk_pixbuf_gif_anim_iter_finalize);
}

/* Returns a new iterator (one reference) that holds a reference on the animation. */
GdkPixbufGifAnimIter *gdk_pixbuf_gif_anim_get_iter(GdkPixbufGifAnim *gif_anim,
						   long start_time)
{
	GdkPixbufGifAnimIter *iter = calloc(1, sizeof(*iter));

	if (!iter)
		return NULL;
	kref_init(&iter->ref);
	kref_get(&gif_anim->ref);
	iter->gif_anim = gif_anim;
	iter->start_time = start_time;
	gdk_pixbuf_gif_anim_iter_advance(iter, start_time);
	return iter;
}

/* Returns a borrowed pixbuf (the first frame's). */
GdkPixbuf *gdk_pixbuf_gif_anim_get_static_image(GdkPixbufGifAnim *gif_anim)
{
	GdkPixbufGifAnimIter *iter;

	if (gif_anim->frames == NULL)
		return NULL;

	iter = gdk_pixbuf_gif_anim_get_iter(gif_anim, 0);
	if (!iter)
		return NULL;
	return gdk_pixbuf_gif_anim_iter_get_pixbuf(iter); /* expect: rule 2 */
}
