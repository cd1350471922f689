/* SPDX-License-Identifier: MIT */
/* Rule 3: plain C with pthreads.  port_by_index() finds a port in the
 * global table under table_mutex and takes a plain reference on its
 * device.  device_put() drops the count with no lock; at 0 the release
 * takes table_mutex to clear the slots.  Between the two, a lookup finds
 * the dying device and revives it, and both threads release it.  (The fix
 * is a liveness flag, set under the device's own mutex before the last
 * put and tested under it before the get; or kref_get_unless_zero().)
 * Both halves of the race are marked. */
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
	kref_put(&d->kref, device_release);	/* expect: rule 3 */
}

void device_unplug(struct device *d)
{
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
	kref_get(&d->kref);	/* expect: rule 3 */
out:
	pthread_mutex_unlock(&table_mutex);
	return p;
}
