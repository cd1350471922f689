/* SPDX-License-Identifier: MIT */
/*
 * Project:    freedesktop/xorg-xserver (GitHub mirror of xorg/xserver)
 * Path:       hw/xwayland/xwayland-cursor.c
 * Fix commit: 85d8eac4bcf44c077bb82aaae10ae45feb9c4e72
 * Bug:        xwl_cursor_attach_pixmap() attaches the cursor pixmap's
 *             wl_buffer to the cursor surface, handing it to the Wayland
 *             compositor until it sends a release, without a pixmap
 *             reference, so unrealizing the X cursor destroys a buffer the
 *             compositor still uses.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <kref.h>

struct wl_buffer;
struct wl_surface;
struct wl_callback;

typedef struct _Pixmap {
	struct kref refcnt;
	struct wl_buffer *buffer;
} PixmapRec, *PixmapPtr;

typedef struct _Cursor {
	PixmapPtr pixmap;		/* devPrivates[xwl_cursor_private_key] */
	int width, height;
} CursorRec, *CursorPtr;

struct xwl_cursor {
	struct wl_surface *surface;
	struct wl_callback *frame_cb;
};

struct xwl_seat {
	CursorPtr x_cursor;
	struct xwl_cursor cursor;
};

/* frees the pixmap's SHM storage and its wl_buffer */
extern void xwl_shm_pixmap_free(PixmapPtr pixmap);
/* the pixmap's wl_buffer, borrowed from the pixmap */
extern struct wl_buffer *xwl_shm_pixmap_get_wl_buffer(PixmapPtr pixmap);
/* calls cb(data) once the compositor has released the pixmap's wl_buffer */
extern void xwl_pixmap_set_buffer_release_cb(PixmapPtr pixmap, void (*cb)(void *data), void *data);
/* wl_surface_attach(): the compositor reads the buffer until it releases it */
extern void wl_surface_attach(struct wl_surface *surface, struct wl_buffer *buffer, int x, int y);
extern void wl_surface_damage(struct wl_surface *surface, int x, int y, int w, int h);
extern struct wl_callback *wl_surface_frame(struct wl_surface *surface);
extern void wl_surface_commit(struct wl_surface *surface);

static void xwl_shm_pixmap_release(struct kref *ref)
{
	xwl_shm_pixmap_free(container_of(ref, PixmapRec, refcnt));
}

bool xwl_shm_destroy_pixmap(PixmapPtr pixmap)
{
	kref_put(&pixmap->refcnt, xwl_shm_pixmap_release);
	return true;
}

static void xwl_cursor_buffer_release_callback(void *data)
{
	/* drop the reference taken in xwl_cursor_attach_pixmap() */
	xwl_shm_destroy_pixmap(data);
}

bool xwl_unrealize_cursor(struct xwl_seat *xwl_seat, CursorPtr cursor)
{
	PixmapPtr pixmap = cursor->pixmap;

	if (!pixmap)
		return true;
	cursor->pixmap = NULL;
	if (cursor == xwl_seat->x_cursor)
		xwl_seat->x_cursor = NULL;
	return xwl_shm_destroy_pixmap(pixmap);
}

void xwl_cursor_attach_pixmap(struct xwl_seat *xwl_seat,
			      struct xwl_cursor *xwl_cursor, PixmapPtr pixmap)
{
	wl_surface_attach(xwl_cursor->surface, xwl_shm_pixmap_get_wl_buffer(pixmap), 0, 0);
	wl_surface_damage(xwl_cursor->surface, 0, 0,
			  xwl_seat->x_cursor->width, xwl_seat->x_cursor->height);

	xwl_cursor->frame_cb = wl_surface_frame(xwl_cursor->surface);

	/* hold a reference on the pixmap until the compositor releases it */
	kref_get(&pixmap->refcnt);
	xwl_pixmap_set_buffer_release_cb(pixmap, xwl_cursor_buffer_release_callback, pixmap);

	wl_surface_commit(xwl_cursor->surface);
}

void xwl_seat_set_cursor(struct xwl_seat *xwl_seat)
{
	struct xwl_cursor *xwl_cursor = &xwl_seat->cursor;
	PixmapPtr pixmap;

	if (!xwl_seat->x_cursor || xwl_cursor->frame_cb)
		return;
	pixmap = xwl_seat->x_cursor->pixmap;
	if (!pixmap)
		return;
	xwl_cursor_attach_pixmap(xwl_seat, xwl_cursor, pixmap);
}
