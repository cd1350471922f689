/* SPDX-License-Identifier: MIT */
/* Rule 1: a new sensor gets one reference, is published on the hub's list
 * (sensor_remove() takes it off and puts that reference; the release does
 * not unlink) and is also returned: the caller configures a sensor it
 * holds no reference on, which another thread can remove and free. */
#include <pthread.h>
#include <stdlib.h>
#include <kref.h>
#include <linux/list.h>

struct hub { pthread_mutex_t lock; struct list_head sensors; };
struct sensor { struct kref ref; struct list_head node; int rate; };

static void sensor_release(struct kref *ref)
{
	free(container_of(ref, struct sensor, ref));
}

void sensor_remove(struct hub *hub, struct sensor *s)
{
	pthread_mutex_lock(&hub->lock);
	list_del(&s->node);
	pthread_mutex_unlock(&hub->lock);
	kref_put(&s->ref, sensor_release);
}

struct sensor *sensor_create(struct hub *hub)
{
	struct sensor *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	kref_init(&s->ref);
	pthread_mutex_lock(&hub->lock);
	list_add_tail(&s->node, &hub->sensors);	/* expect: rule 1 */
	pthread_mutex_unlock(&hub->lock);
	return s;
}

int hub_add_sensor(struct hub *hub, int rate)
{
	struct sensor *s = sensor_create(hub);

	if (!s)
		return -1;
	s->rate = rate;
	return 0;
}
