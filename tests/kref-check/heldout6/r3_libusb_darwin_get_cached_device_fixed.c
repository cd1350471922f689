/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: libusb/libusb commit
 * 117b44e94c4a19fe0e883b8071117cafabe125f3 "darwin: have
 * darwin_get_cached_device take a reference for its caller" (#1798 item 8,
 * #1866), libusb/os/darwin_usb.c.  darwin_get_cached_device() finds the
 * cached device under darwin_cached_devices_mutex and hands it out through
 * cached_out after unlocking, with no reference; process_new_device() takes
 * one later (under the mutex since 1999d074b10b, item 8's first half), and a
 * detach on the hotplug thread in between can drop the last one and free
 * it.  The fix takes the caller's reference before unlocking; the caller
 * drops it when done.  The refcount is written with a kref.
 */
#include <stdlib.h>
#include <stdint.h>
#include <pthread.h>
#include <kref.h>

struct list_head { struct list_head *next, *prev; };

struct darwin_cached_device {
	struct list_head list;
	uint64_t session;
	struct kref refcount;
};

struct libusb_device { struct darwin_cached_device *dev; };
struct libusb_context;
static struct list_head darwin_cached_devices = { &darwin_cached_devices, &darwin_cached_devices };
static pthread_mutex_t darwin_cached_devices_mutex = PTHREAD_MUTEX_INITIALIZER;

/* Allocates and caches a new darwin_cached_device for the session, with the cache's reference; NULL on failure. */
extern struct darwin_cached_device *darwin_cache_new_device(uint64_t session);
/* usbi_alloc_device(): a new libusb_device, or NULL. */
extern struct libusb_device *usbi_alloc_device(struct libusb_context *ctx, uint64_t session);
extern void list_del(struct list_head *entry);

/* called with the darwin_cached_devices_mutex held */
static void darwin_cached_device_release(struct kref *ref)
{
	struct darwin_cached_device *cached_dev = container_of(ref, struct darwin_cached_device, refcount);

	list_del(&cached_dev->list);
	free(cached_dev);
}

/* releases e.g. the reference darwin_get_cached_device took for its caller */
static void darwin_unref_cached_device(struct darwin_cached_device *cached_dev)
{
	pthread_mutex_lock(&darwin_cached_devices_mutex);
	kref_put(&cached_dev->refcount, darwin_cached_device_release);
	pthread_mutex_unlock(&darwin_cached_devices_mutex);
}

static int darwin_get_cached_device(uint64_t sessionID, struct darwin_cached_device **cached_out)
{
	struct list_head *pos;

	*cached_out = NULL;
	pthread_mutex_lock(&darwin_cached_devices_mutex);
	for (pos = darwin_cached_devices.next; pos != &darwin_cached_devices; pos = pos->next) {
		struct darwin_cached_device *new_device = container_of(pos, struct darwin_cached_device, list);

		if (new_device->session == sessionID) {
			*cached_out = new_device;
			break;
		}
	}
	if (!*cached_out)
		*cached_out = darwin_cache_new_device(sessionID);
	/* take a reference for the caller while still holding the mutex */
	if (*cached_out)
		kref_get(&(*cached_out)->refcount);
	pthread_mutex_unlock(&darwin_cached_devices_mutex);

	return *cached_out ? 0 : -1;
}

static int process_new_device(struct libusb_context *ctx, struct darwin_cached_device *cached_device)
{
	struct libusb_device *dev = usbi_alloc_device(ctx, cached_device->session);

	if (!dev)
		return -1;
	dev->dev = cached_device;
	pthread_mutex_lock(&darwin_cached_devices_mutex);
	kref_get(&dev->dev->refcount);
	pthread_mutex_unlock(&darwin_cached_devices_mutex);
	return 0;
}

int darwin_scan_devices(struct libusb_context *ctx, const uint64_t *sessions, int n)
{
	struct darwin_cached_device *cached_device;
	int i;

	for (i = 0; i < n; i++) {
		if (darwin_get_cached_device(sessions[i], &cached_device) < 0)
			continue;
		(void) process_new_device(ctx, cached_device);
		/* release the reference darwin_get_cached_device took for us */
		darwin_unref_cached_device(cached_device);
	}
	return 0;
}

/* The hotplug thread, on a detach event: drops the cache's reference. */
void darwin_devices_detached(uint64_t session)
{
	struct list_head *pos;

	pthread_mutex_lock(&darwin_cached_devices_mutex);
	for (pos = darwin_cached_devices.next; pos != &darwin_cached_devices; pos = pos->next) {
		struct darwin_cached_device *old_device = container_of(pos, struct darwin_cached_device, list);

		if (old_device->session == session) {
			kref_put(&old_device->refcount, darwin_cached_device_release);
			break;
		}
	}
	pthread_mutex_unlock(&darwin_cached_devices_mutex);
}
