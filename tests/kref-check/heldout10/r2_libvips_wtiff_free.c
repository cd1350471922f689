/* SPDX-License-Identifier: MIT */
/*
 * Project: libvips/libvips
 * Path: libvips/foreign/vips2tiff.c
 * Fix commit: 5f3678d86221e9fc477d1a56479d4f1ed48f392d
 * Bug: wtiff_free() drops every layer's reference on its VipsTarget and
 * only afterwards closes the layers' TIFF handles, whose close still
 * writes to those targets: a use after put.
 */
#include <stdlib.h>
#include <kref.h>

/* an output target (file or memory temp), a counted GObject in libvips */
typedef struct _VipsTarget {
	struct kref ref;
	int fd;
	void *blob;
} VipsTarget;

/* the libtiff handle; the target is the client data it writes through */
typedef struct _TIFF {
	VipsTarget *target;	/* borrowed: the layer's reference covers it */
	void *dir;
} TIFF;

typedef struct _VipsImage VipsImage;
typedef struct _VipsRegion VipsRegion;

typedef struct _Layer {
	VipsTarget *target;	/* counted reference */
	TIFF *tif;
	VipsImage *image;
	VipsRegion *strip;
	VipsRegion *copy;
	struct _Layer *below;
} Layer;

typedef struct _Wtiff {
	VipsTarget *target;	/* borrowed from the save operation */
	Layer *layer;
	VipsImage *ready;
	void *tbuf;
} Wtiff;

/* flushes the last directory of @tif through @target's write hook */
extern void vips_target_write_directory(VipsTarget *target, void *dir);
/* closes the fd / releases the memory blob of @target */
extern void vips_target_finalize(VipsTarget *target);
/* drops a reference on an image or region (g_object_unref) */
extern void vips_object_unref(void *object);
/* a new temp target for a pyramid sub-layer, count 1 */
extern VipsTarget *vips_target_new_temp(VipsTarget *based_on);

static void vips_target_release(struct kref *ref)
{
	VipsTarget *target = container_of(ref, VipsTarget, ref);

	vips_target_finalize(target);
	free(target);
}

static void vips_target_unref(VipsTarget *target)
{
	kref_put(&target->ref, vips_target_release);
}

#define VIPS_UNREF_TARGET(T) do { \
	if (T) { vips_target_unref(T); (T) = NULL; } \
} while (0)

#define VIPS_UNREF(X) do { \
	if (X) { vips_object_unref(X); (X) = NULL; } \
} while (0)

/* libtiff's close: writes out pending data to the target, frees the handle */
static void TIFFClose(TIFF *tif)
{
	vips_target_write_directory(tif->target, tif->dir);
	free(tif);
}

/* the base layer shares the save's target, smaller ones write to temps */
void layer_set_target(Wtiff *wtiff, Layer *layer, Layer *above)
{
	if (above == NULL) {
		kref_get(&wtiff->target->ref);
		layer->target = wtiff->target;
	} else {
		layer->target = vips_target_new_temp(wtiff->target);
	}
}

/* Free a single pyramid layer; its target is left for gather. */
static void layer_free(Layer *layer)
{
	if (layer->tif) {
		TIFFClose(layer->tif);
		layer->tif = NULL;
	}
	VIPS_UNREF(layer->strip);
	VIPS_UNREF(layer->copy);
	VIPS_UNREF(layer->image);
}

/* Free an entire pyramid. */
static void layer_free_all(Layer *layer)
{
	if (layer->below)
		layer_free_all(layer->below);
	layer_free(layer);
}

void wtiff_free(Wtiff *wtiff)
{
	Layer *layer;

	/* unref all the targets, including the base layer */
	for (layer = wtiff->layer; layer; layer = layer->below)
		VIPS_UNREF_TARGET(layer->target);

	VIPS_UNREF(wtiff->ready);
	free(wtiff->tbuf);
	if (wtiff->layer)
		layer_free_all(wtiff->layer); /* expect: rule 2 */
	free(wtiff);
}
