/* SPDX-License-Identifier: MIT */
/* Correct, kernel style: the probe looks a driver up in a static table (no
 * reference: the table lives as long as the program) and pins its module;
 * the puts below are of the module and of the new device, other objects.
 * Variables cleared to NULL are not aliases of each other (issue 18). */
#include <linux/kref.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include "kernel_shim.h"

struct module { int refs; };
struct serial_driver { const char *name; struct module *owner; };

struct serial {
	struct kref kref;
	struct serial_driver *type;
};

bool try_module_get(struct module *m);
void module_put(struct module *m);
static struct serial_driver drivers[4];
static DEFINE_MUTEX(table_lock);

static void serial_release(struct kref *kref)
{
	kfree(container_of(kref, struct serial, kref));
}

static void serial_put(struct serial *s)
{
	kref_put(&s->kref, serial_release);
}

static struct serial_driver *find_driver(int id)
{
	return id >= 0 && id < 4 ? &drivers[id] : NULL;
}

static int serial_setup(struct serial *s)
{
	return s->type->name ? 0 : -EINVAL;
}

int serial_probe(int id)
{
	struct serial_driver *type = NULL;
	struct serial *s = NULL;
	int ret;

	mutex_lock(&table_lock);
	type = find_driver(id);
	if (!type) {
		mutex_unlock(&table_lock);
		return -ENODEV;
	}
	if (!try_module_get(type->owner)) {
		mutex_unlock(&table_lock);
		return -EIO;
	}
	mutex_unlock(&table_lock);

	s = kzalloc(sizeof(*s), GFP_KERNEL);
	if (!s) {
		ret = -ENOMEM;
		goto err_module;
	}
	kref_init(&s->kref);
	s->type = type;
	ret = serial_setup(s);
	if (ret)
		goto err_serial;
	module_put(type->owner);
	return 0;

err_serial:
	serial_put(s);
err_module:
	module_put(type->owner);
	return ret;
}
