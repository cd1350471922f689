/* SPDX-License-Identifier: MIT */
/*
 * Project: GNOME/cogl
 * Path:    cogl/cogl-atlas-texture.c
 * Fix:     2eec9758f67e9073371c2edd63379324849373c4
 *          ("atlas-texture: Keep reference on potential destination atlas")
 * Bug: allocate_space() hands an atlas borrowed from ctx->atlases to
 * _cogl_atlas_reserve_space() and takes its reference only after the call
 * succeeds, but reserving space can migrate the atlas's textures and drop
 * the atlas's last reference while the call is still using it.
 *
 * CoglObject's ref_count (cogl_object_ref/unref) is a struct kref here.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <kref.h>

typedef struct _GSList {
	void *data;
	struct _GSList *next;
} GSList;

typedef struct _CoglAtlas {
	struct kref ref;
	void *texture;
} CoglAtlas;

typedef struct _CoglContext {
	GSList *atlases;	/* borrowed pointers: each atlas unlinks itself when freed */
} CoglContext;

typedef struct _CoglAtlasTexture {
	CoglContext *context;
	int internal_format;
	CoglAtlas *atlas;	/* the texture's reference */
} CoglAtlasTexture;

/* tries to fit the texture; may reorganize the atlas, migrating textures
 * out of it, which can drop the atlas's last reference */
extern bool _cogl_atlas_reserve_space(CoglAtlas *atlas, unsigned int width,
				      unsigned int height, void *user_data);
/* new atlas (count 1), linked into ctx->atlases */
extern CoglAtlas *_cogl_atlas_texture_create_atlas(CoglContext *ctx);
/* unlinks the atlas from its context's list */
extern void _cogl_atlas_unlink(CoglAtlas *atlas);
extern bool _cogl_atlas_texture_can_use_format(int format);

static void _cogl_atlas_free(struct kref *ref)
{
	CoglAtlas *atlas = container_of(ref, CoglAtlas, ref);

	_cogl_atlas_unlink(atlas);
	free(atlas);
}

static CoglAtlas *cogl_object_ref(CoglAtlas *atlas)
{
	kref_get(&atlas->ref);
	return atlas;
}

static void cogl_object_unref(CoglAtlas *atlas)
{
	kref_put(&atlas->ref, _cogl_atlas_free);
}

bool allocate_space(CoglAtlasTexture *atlas_tex, int width, int height,
		    int internal_format)
{
	CoglContext *ctx = atlas_tex->context;
	CoglAtlas *atlas = NULL;
	GSList *l;

	/* If the texture is in a strange format then we won't use it */
	if (!_cogl_atlas_texture_can_use_format(internal_format))
		return false;

	/* Look for an existing atlas that can hold the texture */
	for (l = ctx->atlases; l; l = l->next)
		/* Try to make some space in the atlas for the texture */
		if (_cogl_atlas_reserve_space(atlas = l->data, /* expect: rule 1 */
					      /* Add two pixels for the border */
					      width + 2, height + 2,
					      atlas_tex)) {
			cogl_object_ref(atlas);
			break;
		}

	/* If we couldn't find a suitable atlas then start another */
	if (l == NULL) {
		atlas = _cogl_atlas_texture_create_atlas(ctx);
		if (!_cogl_atlas_reserve_space(atlas,
					       /* Add two pixels for the border */
					       width + 2, height + 2,
					       atlas_tex)) {
			/* Ok, this means we really can't add it to the atlas */
			cogl_object_unref(atlas);
			return false;
		}
	}

	atlas_tex->internal_format = internal_format;
	atlas_tex->atlas = atlas;

	return true;
}
