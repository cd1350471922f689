/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: libdrm (gitlab.freedesktop.org
 * mesa/drm) commit c8f327ce9cb504a6c2185487d576be3d5254556a "amdgpu: Make
 * amdgpu_device_deinitialize thread-safe" (MR !351), amdgpu/amdgpu_device.c,
 * amdgpu_device_deinitialize() and amdgpu_device_initialize().  Initialize
 * looks the fd up in the global dev_list under dev_mutex and takes a
 * reference on the device it finds; the last reference, dropped by
 * deinitialize without dev_mutex, reaches 0 before
 * amdgpu_device_free_internal() takes the mutex to unlink the device, so a
 * concurrent initialize can find a device whose count is already 0 (assert
 * or crash, drm/amd issue 2156).  The fix takes dev_mutex before decreasing
 * the reference.  The device's atomic refcount written with a kref; pre-fix
 * code read in the freedesktop/mesa-drm GitHub mirror (libdrm 2.4.107).
 */
#include <stdlib.h>
#include <errno.h>
#include <unistd.h>
#include <stdint.h>
#include <pthread.h>
#include <kref.h>

struct amdgpu_device {
	struct kref refcount;
	struct amdgpu_device *next;
	int fd;
	uint32_t major_version;
	uint32_t minor_version;
};
typedef struct amdgpu_device *amdgpu_device_handle;

static pthread_mutex_t dev_mutex = PTHREAD_MUTEX_INITIALIZER;
static amdgpu_device_handle dev_list;

/* 0 if both fds refer to the same DRM device. */
extern int fd_compare(int fd1, int fd2);
/* Queries the kernel driver and sets up the VA managers; 0 or -errno. */
extern int amdgpu_device_setup(struct amdgpu_device *dev, int fd);
extern void amdgpu_device_teardown(struct amdgpu_device *dev);

static void amdgpu_device_free_internal(struct kref *ref)
{
	struct amdgpu_device *dev = container_of(ref, struct amdgpu_device, refcount);
	amdgpu_device_handle *node = &dev_list;

	/* Called with dev_mutex held. */
	while (*node != dev && (*node)->next)
		node = &(*node)->next;
	*node = (*node)->next;

	close(dev->fd);
	amdgpu_device_teardown(dev);
	free(dev);
}

/* dst = src with reference counting: src gains one, the old *dst loses one. */
static void amdgpu_device_reference(struct amdgpu_device **dst, struct amdgpu_device *src)
{
	if (src)
		kref_get(&src->refcount);
	if (*dst)
		kref_put(&(*dst)->refcount, amdgpu_device_free_internal);
	*dst = src;
}

int amdgpu_device_initialize(int fd, uint32_t *major_version, uint32_t *minor_version,
			     amdgpu_device_handle *device_handle)
{
	struct amdgpu_device *dev;
	int r;

	*device_handle = NULL;

	pthread_mutex_lock(&dev_mutex);
	for (dev = dev_list; dev; dev = dev->next)
		if (fd_compare(dev->fd, fd) == 0)
			break;

	if (dev) {
		*major_version = dev->major_version;
		*minor_version = dev->minor_version;
		amdgpu_device_reference(device_handle, dev);
		pthread_mutex_unlock(&dev_mutex);
		return 0;
	}

	dev = calloc(1, sizeof(struct amdgpu_device));
	if (!dev) {
		pthread_mutex_unlock(&dev_mutex);
		return -ENOMEM;
	}
	kref_init(&dev->refcount);
	dev->fd = dup(fd);
	r = amdgpu_device_setup(dev, fd);
	if (r) {
		close(dev->fd);
		free(dev);
		pthread_mutex_unlock(&dev_mutex);
		return r;
	}

	*major_version = dev->major_version;
	*minor_version = dev->minor_version;
	*device_handle = dev;
	dev->next = dev_list;
	dev_list = dev;
	pthread_mutex_unlock(&dev_mutex);
	return 0;
}

int amdgpu_device_deinitialize(amdgpu_device_handle dev)
{
	pthread_mutex_lock(&dev_mutex);
	amdgpu_device_reference(&dev, NULL);
	pthread_mutex_unlock(&dev_mutex);
	return 0;
}
