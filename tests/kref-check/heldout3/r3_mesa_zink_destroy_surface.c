/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: mesa commit
 * 86b3d8c66ce17ddcaefa5bdea68882cc03a57f15 "zink: rescue
 * surfaces/bufferviews for cache hits during deletion" (merge request
 * !13442), src/gallium/drivers/zink/zink_surface.c, zink_get_surface()
 * and zink_destroy_surface().  A surface is found in the resource's
 * surface_cache under res->surface_mtx and its count incremented there,
 * but the count is dropped with a plain atomic decrement and only the
 * destructor takes the lock to remove the surface from the cache: a
 * surface can reach zero, enter its destructor, and get a cache hit
 * while the destructor waits for the lock; the destructor then frees a
 * surface another context holds (crashes in basemark).  The fix re-checks
 * the count after taking the lock in the destructor and keeps the surface
 * if it was revived; with a kref the same serialisation is kref_put_mutex
 * (decrement to zero only with the lock held).  pipe_reference written
 * here with struct kref.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <kref.h>

typedef pthread_mutex_t simple_mtx_t;
#define simple_mtx_lock(m)	pthread_mutex_lock(m)
#define simple_mtx_unlock(m)	pthread_mutex_unlock(m)

typedef struct VkImageViewCreateInfo { uint64_t image; int viewType, format, baseMipLevel, baseArrayLayer; } VkImageViewCreateInfo;
typedef uint64_t VkImageView;
struct hash_table;
struct hash_entry { uint32_t hash; const void *key; void *data; };
struct zink_screen;
struct zink_context { struct zink_screen *screen; };
struct zink_resource { simple_mtx_t surface_mtx; struct hash_table *surface_cache; };
struct pipe_surface { struct kref reference; struct zink_resource *texture; unsigned nr_samples; };
struct zink_surface {
	struct pipe_surface base;
	VkImageViewCreateInfo ivci;
	uint32_t hash;
	VkImageView image_view;
};

struct hash_entry *_mesa_hash_table_search_pre_hashed(struct hash_table *ht, uint32_t hash, const void *key);
struct hash_entry *_mesa_hash_table_insert_pre_hashed(struct hash_table *ht, uint32_t hash, const void *key, void *data);
void _mesa_hash_table_remove(struct hash_table *ht, struct hash_entry *entry);
uint32_t hash_ivci(const VkImageViewCreateInfo *ivci);
/* Creates the VkImageView; the new surface has one reference. */
struct zink_surface *do_create_surface(struct zink_context *ctx, struct zink_resource *res,
				       const VkImageViewCreateInfo *ivci, uint32_t hash);
void zink_destroy_image_view(struct zink_screen *screen, VkImageView view);

/* The release of a surface's last reference. */
static void zink_destroy_surface(struct kref *kref)
{
	struct zink_surface *surface = container_of(kref, struct zink_surface, base.reference);
	struct zink_resource *res = surface->base.texture;
	struct hash_entry *he;

	simple_mtx_lock(&res->surface_mtx);
	he = _mesa_hash_table_search_pre_hashed(res->surface_cache, surface->hash, &surface->ivci);
	if (he)
		_mesa_hash_table_remove(res->surface_cache, he);
	simple_mtx_unlock(&res->surface_mtx);
	zink_destroy_image_view(NULL, surface->image_view);
	free(surface);
}

/* pipe_surface_reference(&psurf, NULL) */
void zink_surface_unref(struct zink_surface *surface)
{
	kref_put(&surface->base.reference, zink_destroy_surface);	/* expect: rule 3 (the other half) */
}

struct pipe_surface *zink_get_surface(struct zink_context *ctx, struct zink_resource *res,
				      const VkImageViewCreateInfo *ivci)
{
	struct zink_surface *surface = NULL;
	uint32_t hash = hash_ivci(ivci);
	struct hash_entry *entry;

	simple_mtx_lock(&res->surface_mtx);
	entry = _mesa_hash_table_search_pre_hashed(res->surface_cache, hash, ivci);
	if (!entry) {
		/* create a new surface */
		surface = do_create_surface(ctx, res, ivci, hash);
		if (surface)
			_mesa_hash_table_insert_pre_hashed(res->surface_cache, hash, &surface->ivci, surface);
	} else {
		surface = entry->data;
		kref_get(&surface->base.reference);	/* expect: rule 3 */
	}
	simple_mtx_unlock(&res->surface_mtx);
	return surface ? &surface->base : NULL;
}
