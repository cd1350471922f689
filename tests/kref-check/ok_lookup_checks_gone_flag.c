/* SPDX-License-Identifier: MIT */
/* Correct: plain C with pthreads.  port_by_index() finds a port in the
 * global table under table_mutex, then takes the owning device's own
 * mutex and gets the device only if it is not marked gone.  The unlocked
 * final put is safe: device_unplug() marks the device gone under that
 * same mutex before it drops the table's reference, so a lookup never
 * gets a device whose last put may have run, even though the release
 * takes table_mutex only to clear the slots. */
#include <pthread.h>
#include <stdlib.h>
#include <kref.h>

#define NPORTS 32

struct device;

struct port {
	struct device *dev;
	int index;
};

struct device {
	struct kref kref;
	pthread_mutex_t state_mutex;
	int gone;
	struct port ports[2];
};

static struct port *port_table[NPORTS];
static pthread_mutex_t table_mutex = PTHREAD_MUTEX_INITIALIZER;

static void device_release(struct kref *kref)
{
	struct device *d = container_of(kref, struct device, kref);

	pthread_mutex_lock(&table_mutex);
	port_table[d->ports[0].index] = NULL;
	port_table[d->ports[1].index] = NULL;
	pthread_mutex_unlock(&table_mutex);
	free(d);
}

void device_put(struct device *d)
{
	kref_put(&d->kref, device_release);
}

void device_unplug(struct device *d)
{
	pthread_mutex_lock(&d->state_mutex);
	d->gone = 1;
	pthread_mutex_unlock(&d->state_mutex);
	device_put(d);
}

struct port *port_by_index(int i)
{
	struct port *p;
	struct device *d;

	pthread_mutex_lock(&table_mutex);
	p = port_table[i % NPORTS];
	if (!p)
		goto out;
	d = p->dev;
	pthread_mutex_lock(&d->state_mutex);
	if (d->gone)
		p = NULL;
	else
		kref_get(&d->kref);
	pthread_mutex_unlock(&d->state_mutex);
out:
	pthread_mutex_unlock(&table_mutex);
	return p;
}
