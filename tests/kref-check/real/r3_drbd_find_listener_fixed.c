/* SPDX-License-Identifier: MIT */
/*
 * Fixed twin of r3_drbd_find_listener.c (own code): LINBIT/drbd commit
 * f72b60c5ff8af5ee8cd8f1d87257afa86a6e0eb3, drbd/drbd_transport.c.  The
 * lookup takes its reference with kref_get_unless_zero() and skips a
 * listener that is being destroyed.
 */
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include "kernel_shim.h"

struct drbd_resource { spinlock_t listeners_lock; struct list_head listeners; };
struct drbd_listener { struct kref kref; struct list_head list; struct drbd_resource *resource; int port; };

void drbd_listener_destroy(struct kref *kref)
{
	struct drbd_listener *listener = container_of(kref, struct drbd_listener, kref);
	struct drbd_resource *resource = listener->resource;

	spin_lock_bh(&resource->listeners_lock);
	list_del(&listener->list);
	spin_unlock_bh(&resource->listeners_lock);
	kfree(listener);
}

void drbd_put_listener(struct drbd_listener *listener)
{
	kref_put(&listener->kref, drbd_listener_destroy);
}

/* Called with resource->listeners_lock held. */
static struct drbd_listener *find_listener(struct drbd_resource *resource, int port)
{
	struct drbd_listener *listener;

	list_for_each_entry(listener, &resource->listeners, list) {
		if (listener->port == port) {
			if (kref_get_unless_zero(&listener->kref))
				return listener;
		}
	}
	return NULL;
}

struct drbd_listener *drbd_get_listener(struct drbd_resource *resource, int port)
{
	struct drbd_listener *listener;

	spin_lock_bh(&resource->listeners_lock);
	listener = find_listener(resource, port);
	spin_unlock_bh(&resource->listeners_lock);
	return listener;
}
