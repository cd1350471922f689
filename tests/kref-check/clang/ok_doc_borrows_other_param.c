/* SPDX-License-Identifier: MIT */
/* bus_add_device() takes over the caller's reference to the device; the
 * comment's "borrowed" is about the name string. */
#include <stdlib.h>
#include <kref.h>

struct device { struct kref ref; int id; };
struct bus;

/* Returns a new device with one reference for the caller, or NULL. */
extern struct device *device_create(int id);
/*
 * bus_add_device - add @dev to @bus under @name
 * @name is borrowed: the bus copies it.  The bus keeps @dev until
 * bus_remove_device().
 */
extern int bus_add_device(struct bus *bus, struct device *dev, const char *name);

static void device_release(struct kref *ref)
{
	free(container_of(ref, struct device, ref));
}

int probe(struct bus *bus, int id)
{
	struct device *dev = device_create(id);
	int err;

	if (!dev)
		return -1;
	err = bus_add_device(bus, dev, "sensor");
	if (err)
		kref_put(&dev->ref, device_release);
	return err;
}
