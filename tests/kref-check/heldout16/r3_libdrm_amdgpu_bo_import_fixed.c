/* SPDX-License-Identifier: MIT */
/*
 * Project: libdrm (mesa/drm; read in the grate-driver/libdrm mirror)
 * Path: amdgpu/amdgpu_bo.c, amdgpu/amdgpu_internal.h
 * Fix commit: 2a89ae5d7a7d5845226ed85146140ff4c8788d59
 * Bug: amdgpu_bo_import() finds an existing buffer in the device's handle
 * tables under bo_table_mutex but bumps its count only after unlocking, and
 * amdgpu_bo_reference() drops the count without that mutex, so an import can
 * revive a buffer whose last reference is being dropped in another thread.
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <kref.h>

struct amdgpu_device;

struct amdgpu_bo {
	struct kref refcount;
	struct amdgpu_device *dev;
	uint32_t handle;
	uint32_t flink_name;
	uint64_t alloc_size;
	struct amdgpu_bo *next_handle;	/* link in dev->bo_handles */
};

struct amdgpu_device {
	int fd;
	pthread_mutex_t bo_table_mutex;
	struct amdgpu_bo *bo_handles;	/* weak: the table holds no reference */
};

struct amdgpu_bo_import_result {
	struct amdgpu_bo *buf_handle;
	uint64_t alloc_size;
};

/* closes the GEM handle in the kernel */
extern void amdgpu_close_kms_handle(struct amdgpu_device *dev, uint32_t handle);
/* converts a dma-buf fd to a GEM handle of this device (drmPrimeFDToHandle) */
extern int amdgpu_prime_fd_to_handle(struct amdgpu_device *dev, int fd,
				     uint32_t *handle, uint64_t *size);

static struct amdgpu_bo *bo_table_get(struct amdgpu_device *dev, uint32_t handle)
{
	struct amdgpu_bo *bo;

	for (bo = dev->bo_handles; bo; bo = bo->next_handle)
		if (bo->handle == handle)
			return bo;
	return NULL;
}

static void bo_table_remove(struct amdgpu_device *dev, struct amdgpu_bo *bo)
{
	struct amdgpu_bo **p;

	for (p = &dev->bo_handles; *p; p = &(*p)->next_handle) {
		if (*p == bo) {
			*p = bo->next_handle;
			return;
		}
	}
}

/* release: called with bo_table_mutex held, drops it */
static void amdgpu_bo_free_internal(struct kref *kref)
{
	struct amdgpu_bo *bo = container_of(kref, struct amdgpu_bo, refcount);

	/* Remove the buffer from the hash tables. */
	bo_table_remove(bo->dev, bo);
	pthread_mutex_unlock(&bo->dev->bo_table_mutex);

	amdgpu_close_kms_handle(bo->dev, bo->handle);
	free(bo);
}

void amdgpu_bo_reference(struct amdgpu_bo **dst, struct amdgpu_bo *src)
{
	struct amdgpu_bo *bo = *dst;

	if (src)
		kref_get(&src->refcount);
	if (bo)
		kref_put_mutex(&bo->refcount, amdgpu_bo_free_internal,
			       &bo->dev->bo_table_mutex);
	*dst = src;
}

int amdgpu_bo_free(struct amdgpu_bo *buf_handle)
{
	/* Just drop the reference. */
	amdgpu_bo_reference(&buf_handle, NULL);
	return 0;
}

int amdgpu_bo_import(struct amdgpu_device *dev, int dma_buf_fd,
		     struct amdgpu_bo_import_result *output)
{
	struct amdgpu_bo *bo;
	uint32_t handle;
	uint64_t size;
	int r;

	/* Always return the same amdgpu_bo for the same handle. */
	pthread_mutex_lock(&dev->bo_table_mutex);

	r = amdgpu_prime_fd_to_handle(dev, dma_buf_fd, &handle, &size);
	if (r) {
		pthread_mutex_unlock(&dev->bo_table_mutex);
		return r;
	}

	bo = bo_table_get(dev, handle);
	if (bo) {
		/* The buffer already exists, just bump the refcount. */
		kref_get(&bo->refcount);
		pthread_mutex_unlock(&dev->bo_table_mutex);

		output->buf_handle = bo;
		output->alloc_size = bo->alloc_size;
		return 0;
	}

	bo = calloc(1, sizeof(*bo));
	if (!bo) {
		pthread_mutex_unlock(&dev->bo_table_mutex);
		amdgpu_close_kms_handle(dev, handle);
		return -ENOMEM;
	}

	kref_init(&bo->refcount);
	bo->dev = dev;
	bo->handle = handle;
	bo->alloc_size = size;
	bo->next_handle = dev->bo_handles;
	dev->bo_handles = bo;
	pthread_mutex_unlock(&dev->bo_table_mutex);

	output->buf_handle = bo;
	output->alloc_size = bo->alloc_size;
	return 0;
}
