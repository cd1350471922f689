/* SPDX-License-Identifier: MIT */
/* A new sensor is published on the hub's list, which owns its first
 * reference (sensor_remove() puts it), and returned with a second one,
 * taken for the caller before publishing; the caller drops it when done.
 * A list the release itself unlinks from holds no reference: returning
 * the one reference is right there. */
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
	kref_get(&s->ref);
	pthread_mutex_lock(&hub->lock);
	list_add_tail(&s->node, &hub->sensors);
	pthread_mutex_unlock(&hub->lock);
	return s;
}

int hub_add_sensor(struct hub *hub, int rate)
{
	struct sensor *s = sensor_create(hub);

	if (!s)
		return -1;
	s->rate = rate;
	kref_put(&s->ref, sensor_release);
	return 0;
}

struct probe { struct kref ref; struct list_head node; struct hub *hub; };

static pthread_mutex_t probes_lock = PTHREAD_MUTEX_INITIALIZER;
static LIST_HEAD(probes);

static void probe_release(struct kref *ref)
{
	struct probe *p = container_of(ref, struct probe, ref);

	list_del(&p->node);
	pthread_mutex_unlock(&probes_lock);
	free(p);
}

struct probe *probe_create(struct hub *hub)
{
	struct probe *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	kref_init(&p->ref);
	p->hub = hub;
	pthread_mutex_lock(&probes_lock);
	list_add(&p->node, &probes);
	pthread_mutex_unlock(&probes_lock);
	return p;
}

void probe_put(struct probe *p)
{
	kref_put_mutex(&p->ref, probe_release, &probes_lock);
}
