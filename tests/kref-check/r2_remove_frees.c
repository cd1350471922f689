/* SPDX-License-Identifier: MIT */
/* Rule 2: the remove path frees the object outright although open file
 * handles still hold references to it. */
#include <linux/kref.h>
#include <linux/mutex.h>
#include <linux/slab.h>

struct sensor {
	struct kref kref;
	struct mutex lock;
	int present;
	int last_value;
};

static void sensor_release(struct kref *kref)
{
	kfree(container_of(kref, struct sensor, kref));
}

int sensor_open(struct sensor *s)
{
	kref_get(&s->kref);
	return 0;
}

int sensor_close(struct sensor *s)
{
	kref_put(&s->kref, sensor_release);
	return 0;
}

void sensor_remove(struct sensor *s)
{
	mutex_lock(&s->lock);
	s->present = 0;
	mutex_unlock(&s->lock);
	kfree(s);	/* expect: rule 2 */
}
