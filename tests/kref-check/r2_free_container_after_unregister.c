/* SPDX-License-Identifier: MIT */
/* Rule 2, kernel style: a sensor embeds, two levels down, the counted
 * object of the bus it sits on (struct sensor holds a struct bus_client,
 * which holds a struct bus_obj with the kref).  The bus documents that
 * unregistering drops the registration's reference; others (an open
 * sysfs file, a pending event) may still hold theirs, yet the detach
 * frees the sensor at once instead of in the release of that count. */
#include <linux/kref.h>
#include <linux/slab.h>
#include "kernel_shim.h"

struct bus_obj { struct kref kref; void (*release)(struct bus_obj *o); };
struct bus_client { struct bus_obj obj; int addr; };
struct sensor { struct bus_client client; int *calib; int nr_calib; };

/* bus_client_unregister - detach a client from the bus; this drops the
 * registration's reference on the client. */
void bus_client_unregister(struct bus_client *cl);
void sensor_power_off(struct sensor *s);

void sensor_detach(struct sensor *s)
{
	sensor_power_off(s);
	bus_client_unregister(&s->client);
	kfree(s->calib);
	kfree(s);	/* expect: rule 2 */
}
