/* SPDX-License-Identifier: MIT */
/*
 * Project: freedesktop/cairo
 * Path:    src/cairo-xlib-surface.c
 * Fix:     14ab4792825a12ddf3101c1183320a572a0e7935
 * Bug:     when XShmGetImage() fails, _get_image_surface() destroys the shm
 *          image but leaves the pointer set, so a later failure on the
 *          XGetImage fallback path destroys the same image a second time.
 */
#include <stdbool.h>
#include <stddef.h>
#include <kref.h>

typedef enum {
	CAIRO_STATUS_SUCCESS = 0,
	CAIRO_STATUS_NO_MEMORY,
} cairo_status_t;

typedef struct {
	struct kref ref_count;
	cairo_status_t status;
} cairo_surface_t;

typedef struct {
	cairo_surface_t base;
	unsigned char *data;
} cairo_image_surface_t;

typedef struct XImage XImage;
typedef struct cairo_xlib_display cairo_xlib_display_t;

typedef struct {
	cairo_surface_t base;
	cairo_xlib_display_t *display;
	unsigned long drawable;
	int use_pixmap;
} cairo_xlib_surface_t;

typedef struct {
	int x, y, width, height;
} cairo_rectangle_int_t;

/* calls the backend's finish and frees the surface */
extern void _cairo_surface_free(cairo_surface_t *surface);

static void _cairo_surface_release(struct kref *kref)
{
	_cairo_surface_free(container_of(kref, cairo_surface_t, ref_count));
}

void cairo_surface_destroy(cairo_surface_t *surface)
{
	if (surface == NULL)
		return;
	kref_put(&surface->ref_count, _cairo_surface_release);
}

/* returns a new (static, never freed) surface in the error state */
extern cairo_surface_t *_cairo_surface_create_in_error(cairo_status_t status);
/* acquires / releases the X display of the surface */
extern cairo_status_t _cairo_xlib_display_acquire(cairo_xlib_surface_t *surface,
						  cairo_xlib_display_t **display);
extern void cairo_device_release(cairo_xlib_display_t *display);
/* returns a new reference to a shared-memory image, or NULL */
extern cairo_image_surface_t *_cairo_xlib_surface_create_shm__image(cairo_xlib_surface_t *surface,
								    int width, int height);
/* copies the drawable into the shm image; false on X error */
extern bool XShmGetImage_into(cairo_xlib_display_t *display, unsigned long drawable,
			      cairo_image_surface_t *image, int x, int y);
/* reads the drawable into a new XImage, or NULL on error */
extern XImage *XGetImage_area(cairo_xlib_display_t *display, unsigned long drawable,
			      const cairo_rectangle_int_t *extents);
/* copies the drawable into a temporary pixmap and reads that into a new
 * XImage, or NULL on error */
extern XImage *_get_image_via_pixmap(cairo_xlib_display_t *display, cairo_xlib_surface_t *surface,
				     const cairo_rectangle_int_t *extents);
/* frees an XImage */
extern void XDestroyImage(XImage *ximage);
/* wraps the XImage's pixels in a new image surface (new reference) */
extern cairo_image_surface_t *_cairo_image_surface_create_for_ximage(XImage *ximage);

cairo_surface_t *_get_image_surface(cairo_xlib_surface_t *surface,
				    const cairo_rectangle_int_t *extents,
				    int try_shm)
{
	cairo_status_t status;
	cairo_image_surface_t *image = NULL;
	XImage *ximage = NULL;
	cairo_xlib_display_t *display;

	status = _cairo_xlib_display_acquire(surface, &display);
	if (status)
		return _cairo_surface_create_in_error(status);

	if (try_shm) {
		image = _cairo_xlib_surface_create_shm__image(surface, extents->width,
							      extents->height);
		if (image && image->base.status == CAIRO_STATUS_SUCCESS) {
			if (XShmGetImage_into(display, surface->drawable, image,
					      extents->x, extents->y)) {
				cairo_device_release(display);
				return &image->base;
			}

			cairo_surface_destroy(&image->base);
			image = NULL;
		}
	}

	if (surface->use_pixmap == 0)
		ximage = XGetImage_area(display, surface->drawable, extents);
	else
		ximage = _get_image_via_pixmap(display, surface, extents);

	if (ximage == NULL) {
		status = CAIRO_STATUS_NO_MEMORY;
		goto BAIL;
	}

	image = _cairo_image_surface_create_for_ximage(ximage);
	status = image->base.status;

BAIL:
	if (ximage)
		XDestroyImage(ximage);

	cairo_device_release(display);

	if (status) {
		if (image)
			cairo_surface_destroy(&image->base);
		return _cairo_surface_create_in_error(status);
	}

	return &image->base;
}
