/* SPDX-License-Identifier: MIT */
/*
 * Source: libdrm (mesa/drm), commit 5ea6f1c32628887c9df0c53bc8c199eb12633fec
 * ("nouveau: make nouveau importing global buffers completely thread-safe,
 * with tests"), nouveau/nouveau.c.
 * Buffer objects imported into a device are kept on nvdev->bo_list, where
 * nouveau_bo_wrap_locked() finds an already imported handle under
 * nvdev->lock and hands out a reference; the last nouveau_bo_ref() drop
 * deletes the bo, taking nvdev->lock to unlink it and close the handle.
 */
#include <errno.h>
#include <kref.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

/* libdrm_lists.h */
typedef struct _drmMMListHead {
	struct _drmMMListHead *prev;
	struct _drmMMListHead *next;
} drmMMListHead;

#define DRMINITLISTHEAD(__item)			\
	do {					\
		(__item)->prev = (__item);	\
		(__item)->next = (__item);	\
	} while (0)

#define DRMLISTADD(__item, __list)		\
	do {					\
		(__item)->prev = (__list);	\
		(__item)->next = (__list)->next;	\
		(__list)->next->prev = (__item);	\
		(__list)->next = (__item);	\
	} while (0)

#define DRMLISTDEL(__item)					\
	do {							\
		(__item)->prev->next = (__item)->next;		\
		(__item)->next->prev = (__item)->prev;		\
	} while (0)

#define DRMLISTDELINIT(__item)			\
	do {					\
		DRMLISTDEL(__item);		\
		DRMINITLISTHEAD(__item);	\
	} while (0)

#define DRMLISTEMPTY(__item) ((__item)->next == (__item))

#define DRMLISTENTRY(__type, __item, __field)	\
	((__type *)(((char *)(__item)) - offsetof(__type, __field)))

#define DRMLISTFOREACHENTRY(__item, __list, __head)				\
	for ((__item) = DRMLISTENTRY(__typeof__(*(__item)), (__list)->next, __head); \
	     &(__item)->__head != (__list);					\
	     (__item) = DRMLISTENTRY(__typeof__(*(__item)), (__item)->__head.next, __head))

struct nouveau_device {
	int fd;
};

struct nouveau_bo {
	struct nouveau_device *device;
	uint32_t handle;
	uint64_t size;
	void *map;
};

struct nouveau_device_priv {
	struct nouveau_device base;
	pthread_mutex_t lock;
	drmMMListHead bo_list;
};

struct nouveau_bo_priv {
	struct nouveau_bo base;
	drmMMListHead head;
	struct kref refcnt;
	uint32_t name;
};

static inline struct nouveau_device_priv *nouveau_device(struct nouveau_device *dev)
{
	return container_of(dev, struct nouveau_device_priv, base);
}

static inline struct nouveau_bo_priv *nouveau_bo(struct nouveau_bo *bo)
{
	return container_of(bo, struct nouveau_bo_priv, base);
}

/* DRM_IOCTL_GEM_CLOSE on the handle */
extern int nouveau_gem_close(int fd, uint32_t handle);
/* DRM_NOUVEAU_GEM_INFO: fills in the bo's size and placement */
extern int nouveau_gem_info(int fd, struct nouveau_bo *bo);
extern int drmPrimeFDToHandle(int fd, int prime_fd, uint32_t *handle);
extern int drm_munmap(void *addr, size_t length);

static void nouveau_bo_del(struct kref *kref)
{
	struct nouveau_bo_priv *nvbo = container_of(kref, struct nouveau_bo_priv, refcnt);
	struct nouveau_bo *bo = &nvbo->base;
	struct nouveau_device_priv *nvdev = nouveau_device(bo->device);

	pthread_mutex_lock(&nvdev->lock);
	if (nvbo->name) {
		if (kref_read(&nvbo->refcnt)) {
			/*
			 * bo has been revived by a race with
			 * nouveau_bo_prime_handle_ref.
			 */
			pthread_mutex_unlock(&nvdev->lock);
			return;
		}
		DRMLISTDEL(&nvbo->head);
		/* closed with the lock held: gem handles are not refcounted */
		nouveau_gem_close(bo->device->fd, bo->handle);
		pthread_mutex_unlock(&nvdev->lock);
	} else {
		DRMLISTDEL(&nvbo->head);
		pthread_mutex_unlock(&nvdev->lock);
		nouveau_gem_close(bo->device->fd, bo->handle);
	}
	if (bo->map)
		drm_munmap(bo->map, bo->size);
	free(nvbo);
}

void nouveau_bo_ref(struct nouveau_bo *bo, struct nouveau_bo **pref)
{
	struct nouveau_bo *ref = *pref;

	if (bo)
		kref_get(&nouveau_bo(bo)->refcnt);
	if (ref)
		kref_put(&nouveau_bo(ref)->refcnt, nouveau_bo_del);
	*pref = bo;
}

static int nouveau_bo_wrap_locked(struct nouveau_device *dev, uint32_t handle,
				  struct nouveau_bo **pbo)
{
	struct nouveau_device_priv *nvdev = nouveau_device(dev);
	struct nouveau_bo_priv *nvbo;
	int ret;

	DRMLISTFOREACHENTRY(nvbo, &nvdev->bo_list, head) {
		if (nvbo->base.handle == handle) {
			*pbo = NULL;
			nouveau_bo_ref(&nvbo->base, pbo); /* expect: rule 3 */
			return 0;
		}
	}

	nvbo = calloc(1, sizeof(*nvbo));
	if (!nvbo)
		return -ENOMEM;

	kref_init(&nvbo->refcnt);
	nvbo->base.device = dev;
	nvbo->base.handle = handle;
	ret = nouveau_gem_info(dev->fd, &nvbo->base);
	if (ret) {
		free(nvbo);
		return ret;
	}
	DRMLISTADD(&nvbo->head, &nvdev->bo_list);
	*pbo = &nvbo->base;
	return 0;
}

int nouveau_bo_wrap(struct nouveau_device *dev, uint32_t handle,
		    struct nouveau_bo **pbo)
{
	struct nouveau_device_priv *nvdev = nouveau_device(dev);
	int ret;

	pthread_mutex_lock(&nvdev->lock);
	ret = nouveau_bo_wrap_locked(dev, handle, pbo);
	pthread_mutex_unlock(&nvdev->lock);
	return ret;
}

int nouveau_bo_prime_handle_ref(struct nouveau_device *dev, int prime_fd,
				struct nouveau_bo **bo)
{
	struct nouveau_device_priv *nvdev = nouveau_device(dev);
	int ret;
	uint32_t handle;

	nouveau_bo_ref(NULL, bo);

	pthread_mutex_lock(&nvdev->lock);
	ret = drmPrimeFDToHandle(dev->fd, prime_fd, &handle);
	if (ret == 0) {
		ret = nouveau_bo_wrap_locked(dev, handle, bo);
		if (!ret) {
			struct nouveau_bo_priv *nvbo = nouveau_bo(*bo);

			if (!nvbo->name) {
				/* XXX: force locked DRM_IOCTL_GEM_CLOSE */
				nvbo->name = ~0;
			}
		}
	}
	pthread_mutex_unlock(&nvdev->lock);
	return ret;
}
