/* SPDX-License-Identifier: MIT */
/*
 * Project: pygobject/pycairo
 * Path: cairo/surface.c
 * Fix commit: 5d2fe236eedd2cc967d5cffb32fe55c3b6bfaf5d
 * Bug: a mapped image surface holds a reference to the surface it was
 * mapped from (taken in surface_map_to_image, dropped by unmap_image),
 * but its dealloc frees it without dropping that reference when it is
 * garbage-collected while still mapped.
 *
 * Python objects are counted here with a struct kref: Py_XINCREF is
 * kref_get, Py_CLEAR is a put of the field followed by clearing it, and
 * tp_dealloc is the kref release function.
 */
#include <stdlib.h>
#include <kref.h>

typedef struct cairo_surface cairo_surface_t;

typedef struct PycairoSurface {
	struct kref ob_refcnt;
	cairo_surface_t *surface;
	struct PycairoSurface *base;	/* counted: the surface mapped from */
} PycairoSurface;

/* cairo calls; they do not touch Python reference counts. */
extern cairo_surface_t *cairo_surface_map_to_image(cairo_surface_t *s);
extern void cairo_surface_unmap_image(cairo_surface_t *s,
				      cairo_surface_t *image);
/* Non-NULL while the image is still mapped (not yet unmapped). */
extern void *surface_is_mapped_image(cairo_surface_t *image);
/* Replaces the unmapped image with a finished dummy surface. */
extern cairo_surface_t *create_finished_dummy_surface(void);
/* tp_dealloc of an ordinary surface: the release of its kref. */
extern void surface_dealloc(struct kref *kref);

/* tp_dealloc of the mapped image type: the release of its kref. */
void mapped_image_surface_dealloc(struct kref *kref)
{
	PycairoSurface *self = container_of(kref, PycairoSurface, ob_refcnt);
	PycairoSurface *pybasesurface = self->base;

	if (surface_is_mapped_image(self->surface) != NULL)
		cairo_surface_unmap_image(pybasesurface->surface,
					  self->surface);

	free(self); /* expect: rule 2 */
}

PycairoSurface *surface_map_to_image(PycairoSurface *self)
{
	PycairoSurface *pymapped;
	cairo_surface_t *mapped_surface;

	mapped_surface = cairo_surface_map_to_image(self->surface);
	if (mapped_surface == NULL)
		return NULL;

	pymapped = calloc(1, sizeof(*pymapped));
	if (pymapped == NULL) {
		cairo_surface_unmap_image(self->surface, mapped_surface);
		return NULL;
	}
	kref_init(&pymapped->ob_refcnt);
	pymapped->surface = mapped_surface;
	kref_get(&self->ob_refcnt);
	pymapped->base = self;

	return pymapped;
}

int surface_unmap_image(PycairoSurface *self, PycairoSurface *pymapped)
{
	if (surface_is_mapped_image(pymapped->surface) == NULL)
		return -1;	/* already unmapped */
	if (pymapped->base->surface != self->surface)
		return -1;	/* not mapped from this surface */

	cairo_surface_unmap_image(self->surface, pymapped->surface);
	pymapped->surface = create_finished_dummy_surface();

	/* We no longer need the base surface */
	kref_put(&pymapped->base->ob_refcnt, surface_dealloc);
	pymapped->base = NULL;
	return 0;
}
