/* SPDX-License-Identifier: MIT */
/*
 * Project: libdrm (mesa/drm; read in the grate-driver/libdrm mirror)
 * Path: intel/intel_bufmgr_gem.c
 * Fix commit: 88025ad808aa61b2d5db63b86fc9327aefdecc3b
 * Bug: drm_intel_gem_bo_unreference() drops the count with a plain atomic
 * decrement and only takes bufmgr_gem->lock afterwards to unlink the dead bo
 * from the named list, while drm_intel_bo_gem_create_from_name() finds bos in
 * that list under the lock and references them, so it can pick up a bo whose
 * count already reached zero.
 */
#include <pthread.h>
#include <stdlib.h>
#include <kref.h>

struct drm_intel_bufmgr_gem;

typedef struct drm_intel_bo_gem {
	struct kref refcount;
	struct drm_intel_bufmgr_gem *bufmgr;
	unsigned int gem_handle;
	unsigned int global_name;
	struct drm_intel_bo_gem *name_next;	/* link in bufmgr_gem->named */
} drm_intel_bo_gem;

typedef struct drm_intel_bufmgr_gem {
	int fd;
	pthread_mutex_t lock;
	drm_intel_bo_gem *named;	/* weak: the list holds no reference */
} drm_intel_bufmgr_gem;

/* DRM_IOCTL_GEM_OPEN: returns the GEM handle for a global name, 0 on error */
extern unsigned int drm_intel_gem_open_name(drm_intel_bufmgr_gem *bufmgr_gem,
					    unsigned int name);
/* puts the bo in the reuse cache or closes its GEM handle and frees it;
 * takes no reference, called with bufmgr_gem->lock held */
extern void drm_intel_gem_bo_cache_or_free(drm_intel_bufmgr_gem *bufmgr_gem,
					   drm_intel_bo_gem *bo_gem);
/* expires old buffers from the reuse cache, called with bufmgr_gem->lock held */
extern void drm_intel_gem_cleanup_bo_cache(drm_intel_bufmgr_gem *bufmgr_gem);

static void drm_intel_gem_bo_reference(drm_intel_bo_gem *bo_gem)
{
	kref_get(&bo_gem->refcount);
}

static void named_list_del(drm_intel_bufmgr_gem *bufmgr_gem,
			   drm_intel_bo_gem *bo_gem)
{
	drm_intel_bo_gem **p;

	for (p = &bufmgr_gem->named; *p; p = &(*p)->name_next) {
		if (*p == bo_gem) {
			*p = bo_gem->name_next;
			return;
		}
	}
}

/* release: the count has reached zero */
static void drm_intel_gem_bo_unreference_final(struct kref *kref)
{
	drm_intel_bo_gem *bo_gem =
		container_of(kref, drm_intel_bo_gem, refcount);
	drm_intel_bufmgr_gem *bufmgr_gem = bo_gem->bufmgr;

	pthread_mutex_lock(&bufmgr_gem->lock);
	named_list_del(bufmgr_gem, bo_gem);
	drm_intel_gem_bo_cache_or_free(bufmgr_gem, bo_gem);
	drm_intel_gem_cleanup_bo_cache(bufmgr_gem);
	pthread_mutex_unlock(&bufmgr_gem->lock);
}

void drm_intel_gem_bo_unreference(drm_intel_bo_gem *bo_gem)
{
	kref_put(&bo_gem->refcount, drm_intel_gem_bo_unreference_final); /* expect: rule 3 */
}

drm_intel_bo_gem *
drm_intel_bo_gem_create_from_name(drm_intel_bufmgr_gem *bufmgr_gem,
				  unsigned int handle)
{
	drm_intel_bo_gem *bo_gem;
	unsigned int gem_handle;

	pthread_mutex_lock(&bufmgr_gem->lock);
	for (bo_gem = bufmgr_gem->named; bo_gem; bo_gem = bo_gem->name_next) {
		if (bo_gem->global_name == handle) {
			drm_intel_gem_bo_reference(bo_gem);
			pthread_mutex_unlock(&bufmgr_gem->lock);
			return bo_gem;
		}
	}

	gem_handle = drm_intel_gem_open_name(bufmgr_gem, handle);
	if (gem_handle == 0) {
		pthread_mutex_unlock(&bufmgr_gem->lock);
		return NULL;
	}

	bo_gem = calloc(1, sizeof(*bo_gem));
	if (!bo_gem) {
		pthread_mutex_unlock(&bufmgr_gem->lock);
		return NULL;
	}
	kref_init(&bo_gem->refcount);
	bo_gem->bufmgr = bufmgr_gem;
	bo_gem->gem_handle = gem_handle;
	bo_gem->global_name = handle;
	bo_gem->name_next = bufmgr_gem->named;
	bufmgr_gem->named = bo_gem;
	pthread_mutex_unlock(&bufmgr_gem->lock);

	return bo_gem;
}
