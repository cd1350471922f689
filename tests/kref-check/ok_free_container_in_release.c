/* SPDX-License-Identifier: MIT */
/* Rule 2, correct: the sensor's memory goes in the release callback of
 * the counted object it embeds; the detach only unregisters.  A plain
 * buffer (no count inside) is freed right after an unregister, which is
 * fine: nothing counts references to it. */
#include <linux/kref.h>
#include <linux/slab.h>
#include "kernel_shim.h"

struct bus_obj { struct kref kref; void (*release)(struct bus_obj *o); };
struct bus_client { struct bus_obj obj; int addr; };
struct sensor { struct bus_client client; int *calib; int nr_calib; };
struct notifier { int prio; int (*call)(void *data); };
struct watch { struct notifier nb; long ticks; };

/* bus_client_unregister - detach a client from the bus; this drops the
 * registration's reference on the client. */
void bus_client_unregister(struct bus_client *cl);
void notifier_unregister(struct notifier *nb);

static void sensor_release(struct bus_obj *o)
{
	struct sensor *s = container_of(o, struct sensor, client.obj);

	kfree(s->calib);
	kfree(s);
}

void sensor_setup(struct sensor *s)
{
	s->client.obj.release = sensor_release;
}

void sensor_detach(struct sensor *s)
{
	bus_client_unregister(&s->client);
}

void watch_stop(struct watch *w)
{
	notifier_unregister(&w->nb);
	kfree(w);
}
